import HearthTestSupport
import SyncCore

/// A few simulated nodes writing one record and exchanging whole states, as replicas do.
///
/// States produced this way are realistic: each is one that some node actually held after
/// local writes (edits, deletes, re-creations) and merges of other nodes' current or stale states.
struct RecordSimulation {
    static let type = "member"
    static let recordID = "3f6c1e2a-5b7d-4c8e-9f01-23456789abcd"
    static let fields = ["name", "phone", "notes"]
    static let values: [FieldValue] = [.text("张三"), .text("李四"), .text("王小明"), .text("138 0013 8000"), .null]

    struct Node {
        let id: NodeID
        var counter: UInt64 = 0
        var state: RecordState?
    }

    var nodes: [Node]
    /// Every state any node held, in the order they appeared.
    private(set) var history: [RecordState] = []

    init(nodeCount: Int) {
        nodes = (1...nodeCount).map { Node(id: .fixed($0)) }
    }

    /// Runs random writes and deliveries (current states, and stale ones from history).
    mutating func run(steps: Int, using rng: inout SeededGenerator) {
        for _ in 0..<steps {
            let roll = Int.random(in: 0..<10, using: &rng)
            let target = Int.random(in: 0..<nodes.count, using: &rng)
            if roll < 6 {
                write(at: target, using: &rng)
            } else if roll < 9 {
                let source = Int.random(in: 0..<nodes.count, using: &rng)
                if source != target, let state = nodes[source].state { deliver(state, to: target) }
            } else if let stale = history.randomElement(using: &rng) {
                deliver(stale, to: target)
            }
        }
    }

    /// One local write on node `index`: an edit of random fields, a delete, or a (re-)creation.
    mutating func write(at index: Int, using rng: inout SeededGenerator) {
        var node = nodes[index]
        node.counter += UInt64.random(in: 1...3, using: &rng)  // gaps: the node wrote other records too
        let base = node.state ?? RecordState(type: Self.type, id: Self.recordID)
        var values: [String: FieldValue] = [:]
        if node.state != nil, !base.isDeleted, Int.random(in: 0..<5, using: &rng) == 0 {
            values[RecordState.lifecycleField] = RecordState.deleted
        } else {
            for field in Self.fields where Bool.random(using: &rng) {
                values[field] = Self.values.randomElement(using: &rng)!
            }
            if values.isEmpty {
                values[Self.fields.randomElement(using: &rng)!] = Self.values.randomElement(using: &rng)!
            }
        }
        let wallTime = Int64.random(in: 0...4_000_000_000_000, using: &rng)
        node.state = base.applyingLocalWrite(values, dot: Dot(node: node.id, counter: node.counter), wallTime: wallTime)
        nodes[index] = node
        history.append(node.state!)
    }

    mutating func deliver(_ state: RecordState, to index: Int) {
        let result = RecordMerge.merge(local: nodes[index].state, incoming: state)
        nodes[index].state = result.state
        if result.changesLocalState { history.append(result.state) }
    }

    /// Delivers every node's state to every other node until nothing changes.
    mutating func exchangeUntilStable() {
        var changed = true
        while changed {
            changed = false
            for source in nodes.indices {
                guard let state = nodes[source].state else { continue }
                for target in nodes.indices where target != source {
                    let before = nodes[target].state
                    deliver(state, to: target)
                    if nodes[target].state != before { changed = true }
                }
            }
        }
    }
}
