import Replica
import SyncClient

/// B2: node A's new members pushed to the server and pulled by node B, against raw SQLite
/// inserting the same rows twice (once on the server, once on B); the peer applies SQLite's
/// changeset of the same inserts to a fresh database.
enum InitialSyncScenario {
    struct Outcome {
        var figures: [Figure]
        /// The synced world, kept for B3 when asked.
        var pair: SyncedPair?
    }

    static func run(_ context: BenchContext, keepForNoop: Bool) async throws -> Outcome {
        let count = context.sizes.members
        let workspace = context.workspace
        let rows = MemberRow.generate(count: count, seed: InsertScenario.seed)
        let arena = RowArena(rows)

        var rawTwice = 0.0
        for name in ["b2-raw-server", "b2-raw-node"] {
            let path = workspace.databasePath(name)
            rawTwice += try RawInsert.run(path: path, arena: arena, session: false).seconds
            workspace.remove(path)
        }
        let capturePath = workspace.databasePath("b2-session-capture")
        let changeset = try RawInsert.run(path: capturePath, arena: arena, session: true).changeset ?? []
        workspace.remove(capturePath)
        let applyPath = workspace.databasePath("b2-session-apply")
        let apply = try RawInsert.apply(changeset, path: applyPath)
        let applied = try RawInsert.count("member", in: applyPath)
        workspace.remove(applyPath)
        guard applied == count else {
            throw BenchFailure("B2: the changeset applied \(applied) rows, expected \(count)")
        }

        let world = try await SyncWorld.start(workspace, name: "b2")
        do {
            let a = try world.addNode("b2-node-a")
            try a.replica.insertMembers(rows)
            let b = try world.addNode("b2-node-b")
            let (pushed, pushSeconds) = try await Stopwatch.time { try await world.sync(a) }
            let (pulled, pullSeconds) = try await Stopwatch.time { try await world.sync(b) }
            guard pushed.pushed == count, pulled.pulled == count, pulled.digestMatches == true else {
                throw BenchFailure(
                    "B2: pushed \(pushed.pushed), pulled \(pulled.pulled) of \(count); digest match \(String(describing: pulled.digestMatches))"
                )
            }
            try world.requireConverged([a, b], "B2")
            let total = pushSeconds + pullSeconds
            let n = Double(count)
            let figures = [
                Figure(
                    .b2, "time ratio sync / raw SQLite inserting twice", total / rawTwice, .ratio, target: .atMost(3)),
                Figure(.b2, "changes/s end to end (push + pull)", n / total, .perSecond, reference: "≈50,000/s at 3×"),
                Figure(.b2, "push A → server, changes/s", n / pushSeconds, .perSecond),
                Figure(.b2, "pull server → B, changes/s", n / pullSeconds, .perSecond),
                Figure(.b2, "raw SQLite inserts/s (baseline)", 2 * n / rawTwice, .perSecond),
                Figure(
                    .b2, "peer: changeset apply to a fresh db, rows/s", n / apply, .perSecond,
                    reference: "≈223,000/s from C"),
                Figure(.b2, "peer: changeset apply, ratio to raw insert", apply / (rawTwice / 2), .ratio),
            ]
            if keepForNoop {
                return Outcome(figures: figures, pair: SyncedPair(world: world, a: a, b: b, records: count))
            }
            try await world.stop()
            return Outcome(figures: figures, pair: nil)
        } catch {
            try? await world.stop()
            throw error
        }
    }
}
