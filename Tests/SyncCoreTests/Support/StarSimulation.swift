import HearthTestSupport
import SyncCore

/// Nodes that sync one record through a server, as Hearth does: each writes locally, pulls the
/// server's current or an older state, and pushes its whole state, which the server checks with
/// `WriteAuthorship` before merging. Node 0 is a hub whose laptop (the last node) exchanges
/// states with it only, so the hub's pushes carry the laptop's writes.
///
/// Every push here is legitimate by construction; `refusals` counts the ones the check refused
/// all the same (a property test expects none).
struct StarSimulation {
    static let fields = RecordSimulation.fields
    static let values = RecordSimulation.values

    var nodes: [RecordSimulation.Node]
    var server: RecordState?
    /// Every state the server held, oldest first (for stale pulls).
    private(set) var serverHistory: [RecordState] = []
    private(set) var refusals: [(node: NodeID, violation: AuthorshipViolation)] = []

    var hubIndex: Int { 0 }
    var laptopIndex: Int { nodes.count - 1 }

    init(nodeCount: Int) {
        precondition(nodeCount >= 3, "a hub, its laptop and at least one center")
        nodes = (1...nodeCount).map { RecordSimulation.Node(id: .fixed($0)) }
    }

    /// The nodes whose writes `index` may push.
    func authors(of index: Int) -> Set<NodeID> {
        index == hubIndex ? [nodes[hubIndex].id, nodes[laptopIndex].id] : [nodes[index].id]
    }

    mutating func run(steps: Int, using rng: inout SeededGenerator) {
        for _ in 0..<steps {
            let index = Int.random(in: 0..<nodes.count, using: &rng)
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<5: write(at: index, using: &rng)
            case 5..<7 where index == laptopIndex: exchangeWithHub()
            case 5..<7: push(from: index)
            default: pull(to: index, stale: Bool.random(using: &rng), using: &rng)
            }
        }
    }

    mutating func write(at index: Int, using rng: inout SeededGenerator) {
        var simulation = RecordSimulation(nodeCount: 1)
        simulation.nodes = [nodes[index]]
        simulation.write(at: 0, using: &rng)
        nodes[index] = simulation.nodes[0]
    }

    /// The laptop and its hub give each other their states.
    mutating func exchangeWithHub() {
        let (hub, laptop) = (nodes[hubIndex].state, nodes[laptopIndex].state)
        if let laptop { nodes[hubIndex].state = RecordMerge.merge(local: hub, incoming: laptop).state }
        if let hub = nodes[hubIndex].state {
            nodes[laptopIndex].state = RecordMerge.merge(local: laptop, incoming: hub).state
        }
    }

    mutating func push(from index: Int) {
        guard let incoming = nodes[index].state else { return }
        let result = RecordMerge.merge(local: server, incoming: incoming)
        let authors = authors(of: index)
        if let violation = WriteAuthorship.violation(
            incoming: incoming, current: server, merged: result.state, isAuthor: authors.contains)
        {
            refusals.append((nodes[index].id, violation))
            return
        }
        if result.changesLocalState {
            server = result.state
            serverHistory.append(result.state)
        }
    }

    /// The node receives the server's current state, or one it held earlier (a late answer).
    mutating func pull(to index: Int, stale: Bool, using rng: inout SeededGenerator) {
        guard let state = stale ? serverHistory.randomElement(using: &rng) : server else { return }
        nodes[index].state = RecordMerge.merge(local: nodes[index].state, incoming: state).state
    }
}
