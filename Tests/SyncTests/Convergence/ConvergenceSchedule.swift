import Foundation
import HearthTestSupport
import Replica
import SyncClient
import SyncCore

/// One random schedule, entirely determined by its seed: 3 to 6 replicas (sometimes a hub with
/// a laptop behind it, sometimes nodes on an older release), 20 to 60 local operations
/// interleaved with syncs over a faulty network, partitions, laptop exchanges and incidents
/// (an upgrade, a restore from an older copy, a long partition with revoke and readmit:
/// `ScheduleIncidents`), then a final full sync, tombstone collection, and the convergence check.
///
/// A seed replays exactly, with one exception: a node whose writes are renumbered (a restored
/// copy that lost writes, a readmitted node) takes a writer identity the replica draws from the
/// system generator, and that id breaks ties between concurrent writes, so from then on a replay
/// may pick differently where such a tie decided what a later step sees.
struct ConvergenceSchedule: Sendable {
    private enum Step { case operation, sync, syncRound, hubExchange, partition, deliverLate }

    let seed: UInt64
    /// Where fresh replica files are copied from (nil: each is created from scratch).
    var templates: ReplicaTemplates?
    /// The server the schedule's nodes sync with.
    var setup = ServerSetup.sqlite

    func run() async -> Outcome {
        var outcome = Outcome(seed: seed)
        var random = SeededGenerator(seed: seed)
        var started = false
        do {
            try await SimulatedWorld.with(setup, networkSeed: random.next(), templates: templates) { world in
                started = true
                do {
                    try await run(world, &random, &outcome)
                } catch {
                    outcome.problems.append("the schedule stopped on an error: \(error)")
                }
                outcome.faults = world.network.counts
            }
        } catch {
            outcome.problems.append("could not \(started ? "close" : "set up") the world: \(error)")
        }
        return outcome
    }

    private func run(_ world: SimulatedWorld, _ random: inout SeededGenerator, _ outcome: inout Outcome) async throws {
        let replicaCount = random.int(3...6)
        // Half the schedules have a laptop behind a hub. It never pulls from the server, so as a
        // registered node it holds tombstone collection back: only the other half collect.
        let withHub = random.chance(500)
        let centerCount = replicaCount - (withHub ? 2 : 0)
        let operationTarget = random.int(20...60)
        let centers = Array(SampleData.centers.prefix(centerCount))
        var incidents = ScheduleIncidents.plan(
            nodes: centers.map { ($0, true) }
                + (withHub ? [(SampleData.hubName, false), (SampleData.laptopName, false)] : []),
            operations: operationTarget, random: &random)
        func release(_ name: String) -> RecordCatalog {
            incidents.olderNodes.contains(name) ? OlderRelease.catalog : .hearth
        }
        for (slot, name) in centers.enumerated() {
            try await addNode(name, slot: slot + 1, .center, release(name), world, &random)
        }
        if withHub {
            let hub = try await addNode(
                SampleData.hubName, slot: 7, .hub, release(SampleData.hubName), world, &random)
            try await addNode(
                SampleData.laptopName, slot: 8, .laptop(hub: hub.id), release(SampleData.laptopName), world, &random)
        }
        outcome.replicas = world.nodes.count
        outcome.incidents.olderNodes = incidents.olderNodes.count
        for node in world.syncingNodes { world.network.allowWritesDuringSync(on: node) }
        let rates = FaultRates.random(using: &random)
        world.network.setRates(rates)
        // Where tombstones can be collected (no laptop holds it back), now and then every node
        // syncs in turn (a round), and some schedules sync much more often: tombstones are then
        // collected while nodes still write, and stale writes meet records already forgotten.
        // The others sync less on their own, to keep the kit's run time.
        let syncWeight = withHub ? 16 : random.chance(300) ? random.int(28...40) : 10
        let roundWeight = withHub ? 0 : 2
        outcome.trace.append(
            "seed \(seed): \(world.nodes.map(\.name).joined(separator: ", ")); \(operationTarget) operations; "
                + "sync weight \(syncWeight), rounds \(roundWeight); \(rates); \(incidents.summary)")

        var model = ConvergenceModel()
        var steps = 0
        while outcome.operations < operationTarget, steps < operationTarget * 5, outcome.problems.isEmpty {
            steps += 1
            try await incidents.performDue(operations: outcome.operations, world, &model, &outcome, &random)
            world.clock.advance(by: Int64(random.int(1_000...3_600_000)))
            let step = random.weighted([
                (Step.operation, 55), (.sync, syncWeight), (.syncRound, roundWeight), (.hubExchange, withHub ? 6 : 0),
                (.partition, 4), (.deliverLate, 3),
            ])
            switch step {
            case .operation:
                let node = random.pick(world.nodes)!
                let result = OperationGenerator.perform(on: node, random: &random)
                outcome.note(result, in: &model)
                if result.refusal != nil { outcome.problems += Self.digestProblems(node) }
            case .sync:
                await sync(random.pick(world.syncingNodes)!, world, &model, &outcome)
            case .syncRound:
                for node in world.syncingNodes where outcome.problems.isEmpty {
                    await sync(node, world, &model, &outcome)
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
                // The long partition's node stays cut off until its incident ends.
                guard let node = random.pick(world.nodes.filter { $0.id != incidents.exiled }) else { break }
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
        try await incidents.finish(world, &model, &outcome, &random)
        outcome.stableMidRun = try await world.server.stableVector().isEmpty ? 0 : 1
        let settleProblems = await ConvergenceChecker.settle(world, trace: &outcome.trace)
        outcome.problems += settleProblems + world.problems
        outcome.problems += world.network.unexpectedErrors
        outcome.noteRenumberings(world, in: &model)
        guard outcome.problems.isEmpty else { return }
        outcome.problems += await ConvergenceChecker.compare(world, model: model)
        let stable = try await world.server.stableVector()
        outcome.stableAtEnd = stable.isEmpty ? 0 : 1
        outcome.collectedTombstones = model.collectedCount(under: stable)
        outcome.openConflictsAtEnd = (try? await world.server.contents().conflicts.count) ?? 0
    }

    /// One sync of `node` during the schedule, with the writes made during it and the
    /// renumbering it may have done given to the model.
    private func sync(
        _ node: SimulatedNode, _ world: SimulatedWorld, _ model: inout ConvergenceModel, _ outcome: inout Outcome
    ) async {
        outcome.syncs += 1
        let result = await world.sync(node)
        outcome.noteRenumberings(world, in: &model)
        switch result {
        case .success(let report):
            // A copy that has synced once has pushed what it wrote (see `ConvergenceModel.renumber`).
            model.restoredCopies[node.id] = nil
            let stale = report.reconciliation.resynchronising ? " (re-synchronising)" : ""
            let collected =
                report.collected + report.zombiesDeleted > 0
                ? ", collected \(report.collected), zombies deleted \(report.zombiesDeleted)" : ""
            outcome.trace.append(
                "\(node.name): sync pushed \(report.pushed), pulled \(report.pulled)\(collected)\(stale)")
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
        outcome.problems += world.problems
        world.problems = []
    }

    @discardableResult
    private func addNode(
        _ name: String, slot: Int, _ kind: SimulatedNode.Kind, _ catalog: RecordCatalog, _ world: SimulatedWorld,
        _ random: inout SeededGenerator
    ) async throws -> SimulatedNode {
        // One of three ids per slot: the order of node ids (the last tie-break between
        // concurrent writes) varies between schedules, while the replica templates stay few.
        let id = NodeID(
            trusted: "0000000\(random.int(1...3))-0000-4000-8000-\(String(repeating: "0", count: 11))\(slot)")
        // Some clocks are days off: wall time is display data and must change nothing.
        let skew: Int64 = random.chance(250) ? Int64(random.int(-259_200_000...259_200_000)) : 0
        let small = random.chance(300)
        return try await world.addNode(
            name, id: id, kind: kind, catalog: catalog, clockSkew: skew, pushPageSize: small ? random.int(1...5) : 500,
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
