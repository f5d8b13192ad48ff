import Replica
import SyncClient
import SyncCore

/// B4: every record edited on two nodes while apart, then both sync until all converge: once
/// with the same field on both sides (true conflicts), once with different fields (a clean merge).
enum ConcurrentEditScenario {
    static func run(_ context: BenchContext) async throws -> [Figure] {
        let count = context.sizes.conflictRecords
        let conflicting = try await round(context, records: count, fieldOnB: "phone")
        let disjoint = try await round(context, records: count, fieldOnB: "employer")
        let edits = Double(2 * count)
        return [
            Figure(
                .b4, "conflicting changes merged/s (2 × \(NumberText.grouped(count)) edits)", edits / conflicting,
                .perSecond, target: .atLeast(20_000)),
            Figure(
                .b4, "time ratio conflicting / non-conflicting merge", conflicting / disjoint, .ratio,
                target: .atMost(2)),
            Figure(.b4, "non-conflicting changes merged/s", edits / disjoint, .perSecond),
            Figure(.b4, "time to converge, conflicting", conflicting, .seconds),
        ]
    }

    /// Sets up A, B and the server with `records` members, edits them on both nodes, then times
    /// A sync, B sync, A sync (after which all three hold the same data); returns the seconds.
    static func round(_ context: BenchContext, records: Int, fieldOnB: String) async throws -> Double {
        let world = try await SyncWorld.start(context.workspace, name: "b4-\(fieldOnB)")
        do {
            let rows = MemberRow.generate(count: records, seed: 0x4234_0000)
            let a = try world.addNode("b4-node-a")
            try a.replica.insertMembers(rows)
            try await world.sync(a)
            let b = try world.addNode("b4-node-b")
            try await world.sync(b)

            try a.replica.write { transaction in
                for (index, row) in rows.enumerated() {
                    try transaction.update(
                        HearthSchema.member, id: row.id, ["phone": .text("139" + String(10_000_000 + index))])
                }
            }
            try b.replica.write { transaction in
                for (index, row) in rows.enumerated() {
                    let value = fieldOnB == "phone" ? "137" + String(10_000_000 + index) : "新城物业管理公司"
                    try transaction.update(HearthSchema.member, id: row.id, [fieldOnB: .text(value)])
                }
            }

            let seconds = try await Stopwatch.time {
                try await world.sync(a)
                try await world.sync(b)
                try await world.sync(a)
            }.seconds
            try world.requireConverged([a, b], "B4")
            let expected = fieldOnB == "phone" ? records : 0
            for node in [a, b] {
                let open = try node.replica.read { try $0.conflicts().count }
                guard open == expected else {
                    throw BenchFailure("B4: a node has \(open) open conflicts, expected \(expected)")
                }
            }
            try await world.stop()
            return seconds
        } catch {
            try? await world.stop()
            throw error
        }
    }
}
