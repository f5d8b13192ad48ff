import Replica
import SyncCore

/// B1: members inserted through the replica API (change capture included) against raw SQLite
/// inserting the same rows, with SQLite's session extension as the peer.
enum InsertScenario {
    /// The seed of the member rows B1 and B2 use, so both insert exactly the same rows.
    static let seed: UInt64 = 0x4845_4152_5448_0001

    static func run(_ context: BenchContext) throws -> [Figure] {
        let count = context.sizes.members
        let workspace = context.workspace
        let rows = MemberRow.generate(count: count, seed: seed)
        let arena = RowArena(rows)
        let values = rows.map(\.values)

        let rawPath = workspace.databasePath("b1-raw")
        let raw = try RawInsert.run(path: rawPath, arena: arena, session: false).seconds
        workspace.remove(rawPath)

        // The same values through `insert`, which gives each new member a random id (its cost
        // is Hearth's); the baseline inserts the rows with ids generated beforehand.
        let replicaPath = workspace.databasePath("b1-replica")
        let replica = try Replica.create(at: replicaPath, name: "b1-node")
        let hearth = try Stopwatch.time {
            try replica.write { transaction in
                for value in values { try transaction.insert(HearthSchema.member, value) }
            }
        }.seconds
        let stored = try replica.memberCount()
        try replica.close()
        guard stored == count else { throw BenchFailure("B1: the replica holds \(stored) members, expected \(count)") }
        let mode = try RawInsert.journalMode(of: replicaPath)
        guard mode == "wal" else {
            throw BenchFailure("B1: the replica is in journal mode \(mode ?? "?"), expected wal")
        }
        workspace.remove(replicaPath)

        let sessionPath = workspace.databasePath("b1-session")
        let session = try RawInsert.run(path: sessionPath, arena: arena, session: true)
        workspace.remove(sessionPath)
        let changesetBytes = Double(session.changeset?.count ?? 0)

        let n = Double(count)
        return [
            Figure(.b1, "time ratio Hearth / raw SQLite", hearth / raw, .ratio, target: .atMost(2)),
            Figure(.b1, "Hearth inserts/s (replica API)", n / hearth, .perSecond),
            Figure(.b1, "raw SQLite inserts/s (baseline)", n / raw, .perSecond, reference: "≈290,000/s from C"),
            Figure(
                .b1, "peer: session capture, ratio to raw", session.seconds / raw, .ratio,
                reference: "2.43–2.48× from C"),
            Figure(.b1, "peer: changeset bytes per row", changesetBytes / n, .bytes, reference: "131 B from C"),
        ]
    }
}
