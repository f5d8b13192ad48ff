import Replica
import SyncCore
import Testing

/// The model must drop exactly the writes that legitimately disappear, and the checker must
/// notice tombstones left uncollected.
@Suite("Convergence model")
struct ConvergenceModelTests {
    static let a = NodeID(trusted: "00000000-0000-4000-8000-0000000000a1")
    let member = HearthSchema.member

    /// A replica of node `a` and a model fed with its writes.
    func write(_ replica: Replica, _ model: inout ConvergenceModel, _ body: (ReplicaTransaction) throws -> RecordState)
        throws -> RecordState
    {
        let state = try replica.write(body)
        model.note([state], by: Self.a, writer: try replica.currentWriter())
        return state
    }

    @Test func aRestoreLosesTheWritesAfterTheCopyThatNeverReachedTheServer() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let node = try await world.addNode("沙头服务中心", id: Self.a)
        var model = ConvergenceModel()
        let kept = try write(node.replica, &model) { tx in try tx.insert(member, ["name": .text("周静")]) }
        model.noteBackup(of: Self.a)
        let pushed = try write(node.replica, &model) { tx in try tx.insert(member, ["name": .text("马超")]) }
        let lost = try write(node.replica, &model) { tx in try tx.insert(member, ["name": .text("黄忠")]) }

        let server = ConvergenceModel.ServerView(vectors: [ReplicaContents.key(pushed): pushed.vector], stable: .empty)
        #expect(model.restore(Self.a, copy: Dot(node: Self.a, counter: 1), server: server) == 1)
        #expect(model.expected[ReplicaContents.key(kept)] == kept)
        #expect(model.expected[ReplicaContents.key(pushed)] == pushed)
        #expect(model.expected[ReplicaContents.key(lost)] == nil)
    }

    @Test func aRenumberingKeepsOldDotsOnlyWhereTheyArrivedAndTakesTheNewOnes() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let node = try await world.addNode("沙头服务中心", id: Self.a)
        var model = ConvergenceModel()
        let acknowledged = try write(node.replica, &model) { tx in try tx.insert(member, ["name": .text("周静")]) }
        let arrived = try write(node.replica, &model) { tx in try tx.insert(member, ["name": .text("马超")]) }
        let unsent = try write(node.replica, &model) { tx in try tx.insert(member, ["name": .text("黄忠")]) }
        let newWriter = NodeID(trusted: "00000000-0000-4000-8000-0000000000b2")
        var renamed = unsent
        renamed.vector = VersionVector([newWriter: 4])
        for name in renamed.fields.keys {
            renamed.fields[name] = FieldState(
                field: name,
                versions: renamed.fields[name]!.versions.map { version in
                    var moved = version
                    moved.dot = Dot(node: newWriter, counter: 4)
                    return moved
                })
        }
        let renumbering = WriteRenumbering(
            node: Self.a, nodeName: node.name, oldWriter: Self.a, newWriter: newWriter, watermark: 1,
            server: ConvergenceModel.ServerView(
                vectors: [ReplicaContents.key(arrived): arrived.vector], stable: .empty),
            renumbered: [renamed])

        #expect(model.renumber(renumbering) == 1)
        #expect(model.expected[ReplicaContents.key(acknowledged)] == acknowledged)
        #expect(model.expected[ReplicaContents.key(arrived)] == arrived)
        #expect(model.expected[ReplicaContents.key(unsent)] == renamed)
    }

    /// Seed 11358031075836736971: the original deleted a record, the server collected the
    /// tombstone, then a restored copy (still holding the record alive) wrote to it again and
    /// renumbered. The server no longer held the record, but its stable vector covered the
    /// original's writes: they had reached it (and lived on at a node that had not collected
    /// yet). A write the stable vector covers reached the server, whatever the server holds now.
    @Test func aRenumberingKeepsOldDotsTheStableVectorCoversThoughTheServerNoLongerHoldsThem() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let node = try await world.addNode("沙头服务中心", id: Self.a)
        var model = ConvergenceModel()
        let inserted = try write(node.replica, &model) { tx in try tx.insert(member, ["name": .text("刘强")]) }
        _ = try write(node.replica, &model) { tx in
            try tx.update(member, id: inserted.id, ["phone": .text("18610060109")])
        }
        let renumbering = WriteRenumbering(
            node: Self.a, nodeName: node.name, oldWriter: Self.a, newWriter: NodeID.random(), watermark: 0,
            server: ConvergenceModel.ServerView(vectors: [:], stable: inserted.vector), renumbered: [])

        #expect(model.renumber(renumbering) == 1, "only the write the stable vector does not cover")
        #expect(model.expected[ReplicaContents.key(inserted)] == inserted)
    }

    @Test func itNoticesTombstonesLeftUncollected() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let node = try await world.addNode("沙头服务中心", id: Self.a)
        let id = try node.replica.write { tx in try tx.insert(member, ["name": .text("周静")]) }.id
        let tombstone = try node.replica.write { tx in try tx.delete(member, id: id) }
        try await world.syncOrThrow(node)
        let server = try ReplicaContents.read(world.serverReplica, name: "server")

        let covered = ConvergenceChecker.collectionProblems([server], stable: tombstone.vector)
        #expect(covered.contains { $0.hasPrefix("server: 1 tombstones the stable vector") })
        let stalled = ConvergenceChecker.collectionProblems([server], stable: .empty)
        #expect(stalled.contains { $0.hasPrefix("server: collection stalled") })
    }
}
