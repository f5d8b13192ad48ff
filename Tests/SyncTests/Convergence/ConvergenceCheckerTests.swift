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

    /// The checks of each imported change file (`ChangeFileCourier`) must fail on an import
    /// that lost a record, or left out a change it did not refuse.
    @Test func itNoticesAnImportThatLostARecordOrLeftOutAChange() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let center = try await world.addNode("沙头服务中心", id: Self.a)
        let other = try await world.addNode("体育公园服务中心", id: Self.b)
        let written = try center.replica.write { tx in try tx.insert(HearthSchema.member, ["name": .text("周静")]) }
        let holding = try ImportSnapshot(center.replica)
        // What a broken import would leave: the record gone, the file's change not taken in.
        let empty = try ImportSnapshot(other.replica)
        #expect(holding.losses(comparedWith: empty, at: "体育公园服务中心").count == 1)
        #expect(empty.missing([written], refused: [], at: "体育公园服务中心").count == 1)
        // A change the replica refused is not expected, and a good import passes both checks.
        #expect(empty.missing([written], refused: [0], at: "体育公园服务中心").isEmpty)
        #expect(holding.losses(comparedWith: holding, at: "沙头服务中心").isEmpty)
        #expect(holding.missing([written], refused: [], at: "沙头服务中心").isEmpty)
    }
}
