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

        let rawTwice = try rawInsertTwice(arena, workspace: workspace, prefix: "b2")
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
            try requireComplete(.b2, pushed: pushed, pulled: pulled, count: count)
            try world.requireConverged([a, b], "B2")
            let n = Double(count)
            let figures =
                syncFigures(.b2, count: count, pushSeconds: pushSeconds, pullSeconds: pullSeconds, rawTwice: rawTwice)
                + [
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

    /// Raw SQLite inserting the rows of `arena` twice, into two new databases (once for the
    /// server, once for node B): B2's baseline, in seconds.
    static func rawInsertTwice(_ arena: RowArena, workspace: BenchWorkspace, prefix: String) throws -> Double {
        var seconds = 0.0
        for name in ["\(prefix)-raw-server", "\(prefix)-raw-node"] {
            let path = workspace.databasePath(name)
            seconds += try RawInsert.run(path: path, arena: arena, session: false).seconds
            workspace.remove(path)
        }
        return seconds
    }

    /// Throws unless node A pushed and node B pulled every record and B's digest matched the server's.
    static func requireComplete(_ id: ScenarioID, pushed: SyncReport, pulled: SyncReport, count: Int) throws {
        guard pushed.pushed == count, pulled.pulled == count, pulled.digestMatches == true else {
            throw BenchFailure(
                "\(id.rawValue): pushed \(pushed.pushed), pulled \(pulled.pulled) of \(count); digest match \(String(describing: pulled.digestMatches))"
            )
        }
    }

    /// The figures of the sync itself, against the baseline of raw SQLite inserting twice.
    static func syncFigures(
        _ id: ScenarioID, count: Int, pushSeconds: Double, pullSeconds: Double, rawTwice: Double
    ) -> [Figure] {
        let total = pushSeconds + pullSeconds
        let n = Double(count)
        return [
            Figure(id, "time ratio sync / raw SQLite inserting twice", total / rawTwice, .ratio, target: .atMost(3)),
            Figure(id, "changes/s end to end (push + pull)", n / total, .perSecond, reference: "≈50,000/s at 3×"),
            Figure(id, "push A → server, changes/s", n / pushSeconds, .perSecond),
            Figure(id, "pull server → B, changes/s", n / pullSeconds, .perSecond),
            Figure(id, "raw SQLite inserts/s (baseline)", 2 * n / rawTwice, .perSecond),
        ]
    }
}
