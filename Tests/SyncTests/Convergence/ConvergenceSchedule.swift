import Foundation
import HearthTestSupport
import Replica
import SyncClient
import SyncCore

/// One random schedule, entirely determined by its seed: 3 to 6 replicas (sometimes a hub with
/// a laptop behind it), 20 to 60 local operations interleaved with syncs over a faulty network,
/// partitions and laptop exchanges, then a final full sync and the convergence check.
struct ConvergenceSchedule: Sendable {
    /// What a schedule did, and what went wrong.
    struct Outcome: Sendable {
        var seed: UInt64
        var replicas = 0
        var operations = 0
        var refused = 0
        var resolutions = 0
        var syncs = 0
        var failedSyncs = 0
        var hubExchanges = 0
        /// Conflicts still open on every replica at the end (their sets were compared).
        var openConflictsAtEnd = 0
        var faults = FaultCounts()
        var problems: [String] = []
        var trace: [String] = []

        /// Adds another schedule's counts to these totals.
        mutating func add(_ other: Outcome) {
            replicas += other.replicas
            operations += other.operations
            refused += other.refused
            resolutions += other.resolutions
            syncs += other.syncs
            failedSyncs += other.failedSyncs
            hubExchanges += other.hubExchanges
            openConflictsAtEnd += other.openConflictsAtEnd
            faults = faults + other.faults
        }

        /// Counts one local operation and gives the model the states it wrote.
        mutating func note(_ result: OperationGenerator.Outcome, in model: inout ConvergenceModel, label: String = "") {
            operations += 1
            trace.append(label + result.summary)
            if result.refusal != nil { refused += 1 }
            if result.resolvedConflict { resolutions += 1 }
            if let failure = result.failure { problems.append(failure) }
            model.note(result.states)
        }
    }

    private enum Step { case operation, sync, hubExchange, partition, deliverLate }

    let seed: UInt64
    /// Where fresh replica files are copied from (nil: each is created from scratch).
    var templates: ReplicaTemplates?

    func run() async -> Outcome {
        var outcome = Outcome(seed: seed)
        var random = SeededGenerator(seed: seed)
        let world: SimulatedWorld
        do {
            world = try SimulatedWorld(networkSeed: random.next(), templates: templates)
        } catch {
            outcome.problems.append("could not set up the world: \(error)")
            return outcome
        }
        defer { world.close() }
        do {
            try await run(world, &random, &outcome)
        } catch {
            outcome.problems.append("the schedule stopped on an error: \(error)")
        }
        outcome.faults = world.network.counts
        return outcome
    }

    private func run(_ world: SimulatedWorld, _ random: inout SeededGenerator, _ outcome: inout Outcome) async throws {
        let replicaCount = random.int(3...6)
        let withHub = random.chance(750)
        let centerCount = replicaCount - (withHub ? 2 : 0)
        for (slot, name) in SampleData.centers.prefix(centerCount).enumerated() {
            try addNode(name, slot: slot + 1, .center, world, &random)
        }
        if withHub {
            let hub = try addNode(SampleData.hubName, slot: 7, .hub, world, &random)
            try addNode(SampleData.laptopName, slot: 8, .laptop(hub: hub.id), world, &random)
        }
        outcome.replicas = world.nodes.count
        for node in world.syncingNodes { world.network.allowWritesDuringSync(on: node) }
        let rates = FaultRates.random(using: &random)
        world.network.setRates(rates)
        let operationTarget = random.int(20...60)
        outcome.trace.append(
            "seed \(seed): \(world.nodes.map(\.name).joined(separator: ", ")); \(operationTarget) operations; \(rates)")

        var model = ConvergenceModel()
        var steps = 0
        while outcome.operations < operationTarget, steps < operationTarget * 5, outcome.problems.isEmpty {
            steps += 1
            world.clock.advance(by: Int64(random.int(1_000...3_600_000)))
            let step = random.weighted([
                (Step.operation, 55), (.sync, 16), (.hubExchange, withHub ? 6 : 0), (.partition, 4), (.deliverLate, 3),
            ])
            switch step {
            case .operation:
                let node = random.pick(world.nodes)!
                let result = OperationGenerator.perform(on: node, random: &random)
                outcome.note(result, in: &model)
                if result.refusal != nil { outcome.problems += Self.digestProblems(node) }
            case .sync:
                let node = random.pick(world.syncingNodes)!
                outcome.syncs += 1
                switch await world.sync(node) {
                case .success(let report):
                    outcome.trace.append("\(node.name): sync pushed \(report.pushed), pulled \(report.pulled)")
                case .failure(let error):
                    outcome.failedSyncs += 1
                    outcome.trace.append("\(node.name): sync failed: \(error)")
                    if !SimulatedFault.isInjected(error) {
                        outcome.problems.append("\(node.name): sync failed: \(error)")
                    }
                    outcome.problems += Self.digestProblems(node)
                }
                for write in world.network.collectWritesDuringSync() {
                    outcome.note(write, in: &model, label: "  during that sync: ")
                }
            case .hubExchange:
                let laptop = world.laptops[0]
                if world.cutLaptopLinks.contains(laptop.id) {
                    outcome.trace.append("\(laptop.name): cannot reach its hub")
                    break
                }
                let faults = HubLinkFaults.random(using: &random)
                try world.exchange(laptop: laptop, faults: faults, random: &random)
                outcome.hubExchanges += 1
                outcome.trace.append("\(laptop.name): exchange with its hub\(faults == .none ? "" : " (\(faults))")")
            case .partition:
                let node = random.pick(world.nodes)!
                if node.isLaptop {
                    let cut = !world.cutLaptopLinks.contains(node.id)
                    if cut { world.cutLaptopLinks.insert(node.id) } else { world.cutLaptopLinks.remove(node.id) }
                    outcome.trace.append("\(node.name): link to its hub \(cut ? "cut" : "restored")")
                } else {
                    let cut = !world.network.isPartitioned(node.id)
                    world.network.setPartitioned(node.id, cut)
                    outcome.trace.append("\(node.name): \(cut ? "cut off from" : "reconnected to") the server")
                }
            case .deliverLate:
                let delivered = await world.network.deliverDelayed(limit: random.int(1...3))
                if delivered > 0 { outcome.trace.append("network: \(delivered) held pushes arrive late") }
            }
        }
        guard outcome.problems.isEmpty else { return }
        let settleProblems = await ConvergenceChecker.settle(world, trace: &outcome.trace)
        outcome.problems += settleProblems
        outcome.problems += world.network.unexpectedErrors
        guard outcome.problems.isEmpty else { return }
        outcome.problems += ConvergenceChecker.compare(world, model: model)
        outcome.openConflictsAtEnd = (try? world.server.read { try $0.conflicts().count }) ?? 0
    }

    @discardableResult
    private func addNode(
        _ name: String, slot: Int, _ kind: SimulatedNode.Kind, _ world: SimulatedWorld, _ random: inout SeededGenerator
    ) throws -> SimulatedNode {
        // One of three ids per slot: the order of node ids (the last tie-break between
        // concurrent writes) varies between schedules, while the replica templates stay few.
        let id = NodeID(
            trusted: "0000000\(random.int(1...3))-0000-4000-8000-\(String(repeating: "0", count: 11))\(slot)")
        // Some clocks are days off: wall time is display data and must change nothing.
        let skew: Int64 = random.chance(250) ? Int64(random.int(-259_200_000...259_200_000)) : 0
        let small = random.chance(300)
        return try world.addNode(
            name, id: id, kind: kind, clockSkew: skew, pushPageSize: small ? random.int(1...5) : 500,
            pullPageSize: small ? random.int(2...8) : 1_000)
    }

    /// The replica's kept digest must equal the one recomputed from its records after a step
    /// that was refused or cut short by the network (rolled back, or stopped half way); the
    /// final check covers every replica after everything else.
    static func digestProblems(_ node: SimulatedNode) -> [String] {
        do {
            let (kept, recomputed) = try node.replica.read { reader in
                (try reader.digest(), try reader.recomputedDigest())
            }
            return kept == recomputed
                ? [] : ["\(node.name): kept digest \(kept) differs from the recomputed \(recomputed)"]
        } catch {
            return ["\(node.name): cannot read the replica: \(error)"]
        }
    }
}
