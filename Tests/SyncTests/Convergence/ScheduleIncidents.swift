import Foundation
import HearthTestSupport
import Replica
import SyncCore
import SyncServer

/// What happens to nodes in a schedule besides writes, syncs and network faults, planned from
/// the schedule's seed before it starts:
///
/// - **older releases**: some nodes start on `OlderRelease`, and one of them may be upgraded
///   mid-run (closed and reopened with the current declarations);
/// - **a restore**: a center's replica is copied (`Replica.backup`), and later the center is
///   restored from that copy, losing what it wrote since that had not reached the server, and
///   sometimes writing on the copy before its next sync;
/// - **a long partition**: a center is cut off from the server; usually the server revokes it
///   meanwhile (a registered node that does not sync holds collection back, a revoked one does
///   not), so the others collect without it, and readmits it later with a new token.
///
/// Each incident happens once the schedule has made a given number of operations; whatever is
/// still open when the operations end (a node cut off, revoked) is closed by `finish` before the
/// final sync. The restore and the long partition hit different centers.
struct ScheduleIncidents {
    enum Kind: Hashable { case upgrade, backup, restore, cut, revoke, readmit }

    struct Planned {
        var kind: Kind
        var node: String
        var atOperation: Int
    }

    /// Names of the nodes that start on `OlderRelease`.
    private(set) var olderNodes: Set<String> = []
    /// Incidents still to come, in order.
    private(set) var planned: [Planned] = []
    /// The center currently cut off by the long partition, if any.
    private(set) var exiled: NodeID?
    private var revoked: Set<NodeID> = []
    private var backups: [NodeID: String] = [:]
    /// How many operations the restored copy makes before its next sync.
    private var writesOnRestoredCopy = 0

    /// Draws the incidents of one schedule. `nodes` are the names and kinds of its nodes.
    static func plan(
        nodes: [(name: String, isCenter: Bool)], operations: Int, random: inout SeededGenerator
    ) -> ScheduleIncidents {
        var incidents = ScheduleIncidents()
        let names = nodes.map(\.name)
        var centers = nodes.filter(\.isCenter).map(\.name)
        if random.chance(350) {
            incidents.olderNodes = Set((0..<(random.chance(300) ? 2 : 1)).compactMap { _ in random.pick(names) })
            if random.chance(700), let upgraded = random.pick(incidents.olderNodes.sorted()) {
                incidents.add(.upgrade, upgraded, at: random.int(operations / 5...operations * 4 / 5))
            }
        }
        if random.chance(300), let center = random.pick(centers) {
            centers.removeAll { $0 == center }
            let backup = random.int(operations / 10...operations / 2)
            incidents.add(.backup, center, at: backup)
            incidents.add(.restore, center, at: random.int(backup + 3...max(backup + 3, operations * 9 / 10)))
            incidents.writesOnRestoredCopy = random.chance(500) ? random.int(1...3) : 0
        }
        if random.chance(250), let center = random.pick(centers) {
            let cut = random.int(operations / 10...operations / 2)
            let readmit = random.int(cut + operations / 5...max(cut + operations / 5, operations * 9 / 10))
            incidents.add(.cut, center, at: cut)
            if random.chance(700) { incidents.add(.revoke, center, at: random.int(cut...readmit)) }
            incidents.add(.readmit, center, at: readmit)
        }
        incidents.planned.sort { $0.atOperation < $1.atOperation }
        return incidents
    }

    private mutating func add(_ kind: Kind, _ node: String, at operation: Int) {
        planned.append(Planned(kind: kind, node: node, atOperation: operation))
    }

    var summary: String {
        let older = olderNodes.isEmpty ? "" : "older release on \(olderNodes.sorted().joined(separator: ", ")); "
        let steps = planned.map { "\($0.kind) \($0.node) at \($0.atOperation)" }.joined(separator: ", ")
        return older + (steps.isEmpty ? "no incidents" : "incidents: " + steps)
    }

    /// Performs every incident due once `operations` operations were made.
    mutating func performDue(
        operations: Int, _ world: SimulatedWorld, _ model: inout ConvergenceModel,
        _ outcome: inout ConvergenceSchedule.Outcome, _ random: inout SeededGenerator
    ) async throws {
        while let next = planned.first, next.atOperation <= operations {
            planned.removeFirst()
            guard let node = world.node(named: next.node) else { continue }
            try await perform(next.kind, on: node, world, &model, &outcome, &random)
        }
    }

    /// Closes what is still open before the final sync: a node cut off is reconnected, and
    /// readmitted if it was revoked. An upgrade or restore that did not come is left out.
    mutating func finish(
        _ world: SimulatedWorld, _ model: inout ConvergenceModel, _ outcome: inout ConvergenceSchedule.Outcome,
        _ random: inout SeededGenerator
    ) async throws {
        if let readmit = planned.first(where: { $0.kind == .readmit }), let node = world.node(named: readmit.node) {
            try await perform(.readmit, on: node, world, &model, &outcome, &random)
        }
        planned = []
    }

    private mutating func perform(
        _ kind: Kind, on node: SimulatedNode, _ world: SimulatedWorld, _ model: inout ConvergenceModel,
        _ outcome: inout ConvergenceSchedule.Outcome, _ random: inout SeededGenerator
    ) async throws {
        switch kind {
        case .upgrade:
            try upgrade(node, world, &outcome)
        case .backup:
            let path = world.directory.appendingPathComponent("backup-\(node.id).hearth").path
            try node.replica.backup(to: path)
            backups[node.id] = path
            model.noteBackup(of: node.id)
            outcome.trace.append(
                "\(node.name): replica copied (\(try node.replica.read { try $0.digest().hex.prefix(8) }))")
        case .restore:
            guard let path = backups[node.id] else { return }
            try await restore(node, from: path, world, &model, &outcome, &random)
        case .cut:
            exiled = node.id
            world.network.setPartitioned(node.id, true)
            outcome.incidents.longPartitions += 1
            outcome.trace.append("\(node.name): cut off from the server for long")
        case .revoke:
            try await world.server.registry.revokeNode(node.id)
            world.network.forgetTokens()
            revoked.insert(node.id)
            outcome.trace.append("server: \(node.name) revoked")
        case .readmit:
            var node = node
            if revoked.remove(node.id) != nil {
                node.token = try await world.server.registry.readmitNode(node.id).token
                world.network.forgetTokens()
                try world.replace(node)
                outcome.incidents.readmissions += 1
                outcome.trace.append("server: \(node.name) readmitted with a new token")
            }
            exiled = nil
            world.network.setPartitioned(node.id, false)
            outcome.trace.append("\(node.name): reconnected to the server")
        }
    }

    /// Reopens `node`'s replica with the current declarations. What it kept for newer nodes is
    /// then shown in place; its states, and so its digest, do not change.
    private func upgrade(_ node: SimulatedNode, _ world: SimulatedWorld, _ outcome: inout ConvergenceSchedule.Outcome)
        throws
    {
        let (before, kept) = try node.replica.read { (try $0.digest(), try $0.keptForNewerReleaseCount()) }
        try node.replica.close()
        var upgraded = node
        upgraded.replica = try Replica.open(at: node.replica.path, catalog: .hearth, wallClock: node.wallClock)
        try world.replace(upgraded)
        let (after, left) = try upgraded.replica.read { (try $0.digest(), try $0.keptForNewerReleaseCount()) }
        if after != before { outcome.problems.append("\(node.name): the upgrade changed the digest") }
        if left != 0 { outcome.problems.append("\(node.name): \(left) records still kept opaquely after the upgrade") }
        outcome.incidents.upgrades += 1
        outcome.trace.append("\(node.name): upgraded to the current release (\(kept) records held newer data)")
    }

    /// Replaces `node`'s replica with the copy at `path`, opened by the node's current release.
    /// What the node had in flight reaches the server first; the model then drops what the node
    /// wrote since the copy that never left it.
    ///
    /// In flight first, because a request of the lost copy that arrives after the restored copy
    /// has pushed writes under the numbers both used would give two writes one dot: the session
    /// check (§16.2) only compares the server's newest write with the copy's, before anything is
    /// pushed, and nothing detects the collision later. Schedules leave that case out.
    private mutating func restore(
        _ node: SimulatedNode, from path: String, _ world: SimulatedWorld, _ model: inout ConvergenceModel,
        _ outcome: inout ConvergenceSchedule.Outcome, _ random: inout SeededGenerator
    ) async throws {
        await world.network.deliverDelayed(from: node.id)
        try node.replica.close()
        var restored = node
        restored.replica = try Replica.open(at: path, catalog: node.catalog, wallClock: node.wallClock)
        try world.replace(restored)
        let mark = try WriteRenumbering.Mark(restored.replica)
        let counter = try restored.replica.read { UInt64(try $0.setting("counter") ?? "0") ?? 0 }
        let lost = model.restore(
            node.id, copy: Dot(node: mark.writer, counter: counter), server: try await .read(world.server))
        outcome.incidents.restores += 1
        outcome.incidents.lostWrites += lost
        outcome.trace.append("\(node.name): restored from its copy (\(lost) writes since were lost)")
        for _ in 0..<writesOnRestoredCopy {
            outcome.note(
                OperationGenerator.perform(on: restored, random: &random), in: &model, label: "  on the copy: ")
            outcome.incidents.writesOnRestoredCopies += 1
        }
    }
}
