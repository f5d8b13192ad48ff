import Replica
import SyncClient
import SyncCore
import SyncServer

/// B10 (issue 10): what collecting tombstones buys in disk and digest time.
///
/// Node A writes the members and syncs them through the server to node B, as in B2. A deletes
/// 90% of them and pushes the deletes; then A and B sync in turn until no replica holds a
/// tombstone. A's file, the server's file and A's digest times are taken four times: all live,
/// deleted but not yet collected (right after A's push: B has not pulled the deletes, so none
/// can be stable), collected, and after `VACUUM`. Raw SQLite holding the same rows and deleting
/// the same ones is the baseline at each point.
enum CollectionScenario {
    /// One member in ten is kept; the other nine are deleted.
    static let keptEvery = 10
    /// Deletes per write transaction: staff remove members a batch at a time, not all at once.
    static let deleteBatch = 1_000
    /// Sync rounds (A, then B) allowed for collection to reach every replica; it takes about 3:
    /// a delete is stable once every node has pulled it and then asked again.
    static let maxRounds = 10

    /// The moments B10 measures, and what it needs of the run to describe them.
    struct Outcome {
        var live: CollectionSnapshot
        var deleted: CollectionSnapshot
        var collected: CollectionSnapshot
        var vacuumed: CollectionSnapshot
        var deleteSeconds: Double
        var deletes: Int
        var rounds: Int
        var roundsSeconds: Double
        /// States node A pulled in a sync after collection with nothing new on the server.
        var idlePulled: Int
        /// Rows of node A's change log after collection (one per write it made).
        var changeLogRows: Int
    }

    static func run(_ context: BenchContext) async throws -> [Figure] {
        let rows = MemberRow.generate(count: context.sizes.members, seed: InsertScenario.seed)
        let doomed = rows.indices.filter { $0 % keptEvery != 0 }.map { rows[$0].id }
        let raw = try RawDeletion.run(context.workspace, rows: rows, deleting: doomed)
        let world = try await SyncWorld.start(context.workspace, name: "b10")
        do {
            let outcome = try await measure(world, rows: rows, doomed: doomed, log: context.log)
            try await world.stop()
            return figures(outcome, raw: raw)
        } catch {
            try? await world.stop()
            throw error
        }
    }

    /// Builds the state through the product's own paths and takes the four snapshots, checking
    /// on the way that every replica converged and collected exactly the deleted members.
    static func measure(_ world: SyncWorld, rows: [MemberRow], doomed: [String], log: ProgressLog) async throws
        -> Outcome
    {
        let server = world.server.store.replica
        let a = try world.addNode("b10-node-a")
        let b = try world.addNode("b10-node-b")
        try a.replica.insertMembers(rows)
        try await world.sync(a)
        try await world.sync(b)
        try world.requireConverged([a, b], "B10 setup")
        let live = try CollectionSnapshot.take(node: a.replica, server: server)

        let deleteSeconds = try Stopwatch.time {
            for start in stride(from: 0, to: doomed.count, by: deleteBatch) {
                try a.replica.write { transaction in
                    for id in doomed[start..<min(start + deleteBatch, doomed.count)] {
                        try transaction.delete(HearthSchema.member, id: id)
                    }
                }
            }
        }.seconds
        let push = try await world.sync(a)
        let held = (node: try a.replica.tombstoneCount(), server: try server.tombstoneCount())
        guard push.pushed == doomed.count, held.node == doomed.count, held.server == doomed.count else {
            throw BenchFailure(
                "B10: after pushing \(push.pushed) deletes, node A holds \(held.node) tombstones and the server "
                    + "\(held.server); expected \(doomed.count) each, none collected yet")
        }
        let deleted = try CollectionSnapshot.take(node: a.replica, server: server)

        log.say("    syncing until every replica has collected its tombstones…")
        let (rounds, roundsSeconds) = try await Stopwatch.time { try await syncUntilCollected(world, [a, b]) }
        try world.requireConverged([a, b], "B10 after collection")
        let kept = rows.count - doomed.count
        for replica in [a.replica, b.replica, server] {
            let members = try replica.memberCount()
            guard members == kept else {
                throw BenchFailure("B10: a replica holds \(members) members after collection, expected \(kept)")
            }
        }
        let collected = try CollectionSnapshot.take(node: a.replica, server: server)
        let changeLogRows = try RawInsert.count("change_log", in: a.replica.path)
        // Nothing was written since: a sync should move nothing. What it pulls anyway is counted.
        let idle = try await world.sync(a)

        try FileFootprint.vacuum(a.replica.path)
        try FileFootprint.vacuum(server.path)
        let vacuumed = try CollectionSnapshot.take(node: a.replica, server: server)
        // The rebuilt files must still sync: one more round pushes nothing and digests agree.
        for node in [a, b] {
            let report = try await world.sync(node)
            guard report.pushed == 0 else { throw BenchFailure("B10: a sync after VACUUM pushed \(report.pushed)") }
        }
        try world.requireConverged([a, b], "B10 after VACUUM")

        return Outcome(
            live: live, deleted: deleted, collected: collected, vacuumed: vacuumed,
            deleteSeconds: deleteSeconds, deletes: doomed.count, rounds: rounds, roundsSeconds: roundsSeconds,
            idlePulled: idle.pulled, changeLogRows: changeLogRows)
    }

    /// Syncs every node in turn until no replica, the server's included, holds a tombstone;
    /// returns how many rounds that took.
    static func syncUntilCollected(_ world: SyncWorld, _ nodes: [BenchNode]) async throws -> Int {
        let replicas = nodes.map(\.replica) + [world.server.store.replica]
        var left: [Int] = []
        for round in 1...maxRounds {
            for node in nodes { try await world.sync(node) }
            left = try replicas.map { try $0.tombstoneCount() }
            if left.allSatisfy({ $0 == 0 }) { return round }
        }
        throw BenchFailure(
            "B10: tombstones left after \(maxRounds) sync rounds (node A, node B, server): \(left); collection stalled")
    }
}
