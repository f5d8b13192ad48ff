import Replica
import SyncCore
import Testing

/// The checker itself must fail when replicas diverge or when they all lost the same write.
@Suite("Convergence checker")
struct ConvergenceCheckerTests {
    static let a = NodeID(trusted: "00000000-0000-4000-8000-0000000000a1")
    static let b = NodeID(trusted: "00000000-0000-4000-8000-0000000000b2")

    @Test func itNoticesAWriteAcknowledgedWithoutBeingSent() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let center = try await world.addNode("沙头服务中心", id: Self.a)
        try await world.addNode("体育公园服务中心", id: Self.b)
        var model = ConvergenceModel()
        model.note([try center.replica.write { tx in try tx.insert(HearthSchema.member, ["name": .text("周静")]) }])
        // What a broken engine would do: mark the write as held upstream without sending it.
        try center.replica.acknowledge(try center.replica.pendingRecords(limit: 10))
        #expect(await ConvergenceChecker.settle(world).isEmpty)
        let problems = await ConvergenceChecker.compare(world, model: model)
        #expect(problems.contains { $0.hasPrefix("沙头服务中心: digest") })
    }

    @Test func itNoticesAWriteThatEveryReplicaLost() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let center = try await world.addNode("沙头服务中心", id: Self.a)
        try await world.addNode("体育公园服务中心", id: Self.b)
        var model = ConvergenceModel()
        // The model is told of a write that the replica then rolled back: no replica has it.
        var written: RecordState?
        _ = try? center.replica.write { tx -> Void in
            written = try tx.insert(HearthSchema.member, ["name": .text("马超")])
            throw ReplicaError(.refused, "rolled back on purpose")
        }
        model.note([try #require(written)])
        #expect(await ConvergenceChecker.settle(world).isEmpty)
        let problems = await ConvergenceChecker.compare(world, model: model)
        #expect(problems.contains { $0.hasPrefix("server and the join of all writes differ") })
    }
}
