import Foundation
import HearthTestSupport
import Replica
import SyncClient
import SyncCore

/// One random schedule, entirely determined by its seed: 3 to 6 replicas (sometimes a hub
/// serving one or two laptops, sometimes nodes on an older release), 20 to 60 local operations
/// interleaved with syncs over faulty networks, partitions, laptops syncing with their hub or
/// gone home to the server, change files carried by hand (`ChangeFileCourier`) and incidents
/// (an upgrade, a restore from an older copy, a long partition with revoke and readmit:
/// `ScheduleIncidents`), then a final full sync, tombstone collection, and the convergence check.
///
/// A seed replays exactly, with one exception: a node whose writes are renumbered (a restored
/// copy that lost writes, a readmitted node) takes a writer identity the replica draws from the
/// system generator, and that id breaks ties between concurrent writes, so from then on a replay
/// may pick differently where such a tie decided what a later step sees.
struct ConvergenceSchedule: Sendable {
    private enum Step { case operation, sync, syncRound, laptopSync, carryFile, partition, deliverLate }

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
                outcome.faults = world.faultCounts
            }
        } catch {
            outcome.problems.append("could not \(started ? "close" : "set up") the world: \(error)")
        }
        return outcome
    }

    private func run(_ world: SimulatedWorld, _ random: inout SeededGenerator, _ outcome: inout Outcome) async throws {
        let replicaCount = random.int(3...6)
        // Half the schedules have a hub serving one or two laptops, which it registers at the
        // server and vouches for, so that they do not hold tombstone collection back.
        let withHub = random.chance(500)
        let laptops = withHub ? Array(SampleData.laptopNames.prefix(random.chance(300) ? 2 : 1)) : []
        let centerCount = max(1, replicaCount - (withHub ? 1 + laptops.count : 0))
        let operationTarget = random.int(20...60)
        let centers = Array(SampleData.centers.prefix(centerCount))
        var incidents = ScheduleIncidents.plan(
            nodes: centers.map { ($0, true) } + (withHub ? [(SampleData.hubName, false)] : [])
                + laptops.map { ($0, false) },
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
            for (index, name) in laptops.enumerated() {
                try await addNode(name, slot: 8 + index, .laptop(hub: hub.id), release(name), world, &random)
            }
        }
        outcome.replicas = world.nodes.count
        outcome.incidents.olderNodes = incidents.olderNodes.count
        for node in world.nodes { world.allowWritesDuringSync(on: node) }
        let rates = FaultRates.random(using: &random)
        world.setRates(rates)
        // Now and then every node syncs in turn (a round), and some schedules sync much more
        // often: tombstones are then collected while nodes still write, and stale writes meet
        // records already forgotten. The others sync less on their own, to keep the kit's run time.
        // With a hub, laptop syncs (their own step) add to the centers' and hubs': these sync a
        // little less, and fewer rounds (which sync the laptops too) keep the run time.
        let heavy = random.chance(300)
        let syncWeight = withHub ? (heavy ? random.int(16...24) : 8) : (heavy ? random.int(28...40) : 10)
        let roundWeight = withHub ? 1 : 2
        outcome.trace.append(
            "seed \(seed): \(world.nodes.map(\.name).joined(separator: ", ")); \(operationTarget) operations; "
                + "sync weight \(syncWeight), rounds \(roundWeight); \(rates); \(incidents.summary)")

        var model = ConvergenceModel()
        var courier = ChangeFileCourier()
        defer { outcome.files = courier.counts }
        var steps = 0
        while outcome.operations < operationTarget, steps < operationTarget * 5, outcome.problems.isEmpty {
            steps += 1
            try await incidents.performDue(operations: outcome.operations, world, &model, &outcome, &random)
            world.clock.advance(by: Int64(random.int(1_000...3_600_000)))
            let step = random.weighted([
                (Step.operation, 55), (.sync, syncWeight), (.syncRound, roundWeight), (.laptopSync, withHub ? 6 : 0),
                (.carryFile, withHub ? 2 : 0), (.partition, 4), (.deliverLate, 3),
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
                for node in world.laptops + world.syncingNodes where outcome.problems.isEmpty {
                    await sync(node, world, &model, &outcome)
                }
            case .laptopSync:
                // Now and then a volunteer goes home and syncs with the server itself, with the
                // same token, once the hub has told the server about the laptop.
                let laptop = random.pick(world.laptops)!
                var home = random.chance(250)
                if home { home = try await world.isKnownAtServer(laptop) }
                await sync(laptop, withServer: home, world, &model, &outcome)
            case .carryFile:
                let carried = try await courier.carry(random.pick(world.laptops)!, world, random: &random)
                outcome.trace.append(carried)
                outcome.problems += courier.problems
                courier.problems = []
                outcome.noteRedeletions(world, in: &model)
            case .partition:
                // The long partition's node stays cut off until its incident ends.
                guard let node = random.pick(world.nodes.filter { $0.id != incidents.exiled }) else { break }
                let cut = !world.isPartitioned(node)
                world.setPartitioned(node, cut)
                outcome.trace.append("\(node.name): \(cut ? "cut off from" : "reconnected to") its upstream")
            case .deliverLate:
                let delivered = await world.deliverDelayed(limit: random.int(1...3))
                if delivered > 0 { outcome.trace.append("network: \(delivered) held pushes arrive late") }
            }
        }
        guard outcome.problems.isEmpty else { return }
        try await incidents.finish(world, &model, &outcome, &random)
        outcome.stableMidRun = try await world.server.stableVector().isEmpty ? 0 : 1
        let settleProblems = await ConvergenceChecker.settle(world, trace: &outcome.trace)
        outcome.problems += settleProblems + world.problems
        outcome.problems += world.unexpectedErrors
        outcome.noteRenumberings(world, in: &model)
        outcome.noteRedeletions(world, in: &model)
        guard outcome.problems.isEmpty else { return }
        outcome.problems += await ConvergenceChecker.compare(world, model: model)
        let stable = try await world.server.stableVector()
        outcome.stableAtEnd = stable.isEmpty ? 0 : 1
        outcome.collectedTombstones = model.collectedCount(under: stable)
        outcome.openConflictsAtEnd = (try? await world.server.contents().conflicts.count) ?? 0
    }

    /// One sync of `node` during the schedule (with its upstream, or a laptop `withServer`),
    /// with the writes made during it and the renumbering or deletes it may have made by itself
    /// given to the model.
    private func sync(
        _ node: SimulatedNode, withServer: Bool = false, _ world: SimulatedWorld, _ model: inout ConvergenceModel,
        _ outcome: inout Outcome
    ) async {
        outcome.syncs += 1
        if node.isLaptop { outcome.laptopSyncs += 1 }
        if withServer { outcome.laptopSyncsWithServer += 1 }
        let result = withServer ? await world.syncWithServer(node) : await world.sync(node)
        outcome.noteRenumberings(world, in: &model)
        outcome.noteRedeletions(world, in: &model)
        switch result {
        case .success(let report):
            // A copy that has synced once has pushed what it wrote (see `ConvergenceModel.renumber`).
            model.restoredCopies[node.id] = nil
            let stale = report.reconciliation.resynchronising ? " (re-synchronising)" : ""
            let collected =
                report.collected + report.zombiesDeleted > 0
                ? ", collected \(report.collected), zombies deleted \(report.zombiesDeleted)" : ""
            let refused = report.refused > 0 ? ", \(report.refused) refused (kept pending)" : ""
            outcome.refusedBySync += report.refused
            outcome.trace.append(
                "\(node.name): sync\(withServer ? " with the server (gone home)" : "") pushed \(report.pushed)"
                    + "\(refused), pulled \(report.pulled)\(collected)\(stale)")
        case .failure(let error):
            outcome.failedSyncs += 1
            outcome.trace.append("\(node.name): sync failed: \(error)")
            if !SimulatedFault.isInjected(error) {
                outcome.problems.append("\(node.name): sync failed: \(error)")
            }
            outcome.problems += Self.digestProblems(node)
        }
        for write in world.collectWritesDuringSync() {
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
