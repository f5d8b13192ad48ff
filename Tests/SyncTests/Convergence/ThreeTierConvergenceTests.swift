import HearthProtocol
import Replica
import SyncClient
import SyncCore
import SyncServer
import Testing

/// The three tiers of field work in the kit's world, step by step and without faults: a laptop
/// syncing with its center (`SimulatedHub`, the real `SyncService` over the center's replica),
/// the center with the central office, another center with the central office; a laptop gone
/// home, and change files carried by hand. Each ends with the kit's own checks: the final sync
/// rounds, then every replica against the server and the join of every write.
@Suite("Three tiers")
struct ThreeTierConvergenceTests {
    static func id(_ slot: Int) -> NodeID { NodeID(trusted: "00000000-0000-4000-8000-0000000000c\(slot)") }
    let member = HearthSchema.member

    /// Writes on `node` in one transaction, given to the model.
    func write(
        _ node: SimulatedNode, _ model: inout ConvergenceModel, _ body: (ReplicaTransaction) throws -> RecordState
    ) throws -> RecordState {
        let state = try node.replica.write(body)
        model.note([state], by: node.id, writer: try node.replica.currentWriter())
        return state
    }

    /// The final rounds converge, every replica equals the server and the join of all writes,
    /// and no tombstone is left.
    func expectConvergence(_ world: SimulatedWorld, _ model: ConvergenceModel) async {
        let settling = await ConvergenceChecker.settle(world)
        #expect(settling.isEmpty, "\(settling)")
        let problems = await ConvergenceChecker.compare(world, model: model)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func aLaptopsWritesReachAnotherCenterThroughItsCenterAndTheCentralOffice() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let center = try await world.addNode(SampleData.hubName, id: Self.id(1), kind: .hub)
        let other = try await world.addNode("体育公园服务中心", id: Self.id(2))
        let laptop = try await world.addNode(SampleData.laptopName, id: Self.id(3), kind: .laptop(hub: center.id))
        var model = ConvergenceModel()
        let kept = try write(laptop, &model) { tx in try tx.insert(member, ["name": .text("返乡工友")]) }
        let dropped = try write(laptop, &model) { tx in try tx.insert(member, ["name": .text("临时登记")]) }

        // Laptop → center → central office → another center.
        #expect(try await world.syncOrThrow(laptop).pushed == 2)
        let upstream = try await world.syncOrThrow(center)
        #expect(upstream.laptopsRegistered == 1 && upstream.laptopRefusals.isEmpty)
        #expect(upstream.pushed == 2 && upstream.refused == 0)
        #expect(try await world.syncOrThrow(other).pulled == 2)
        let arrived = try other.replica.read { try $0.record(member, id: kept.id) }
        #expect(arrived?.vector[laptop.id] == 1, "the laptop's write keeps the laptop's own dot")

        // Back down the same way: an edit at the other center, a delete on the laptop.
        _ = try write(other, &model) { tx in try tx.update(member, id: kept.id, ["employer": .text("港务公司")]) }
        _ = try write(laptop, &model) { tx in try tx.delete(member, id: dropped.id) }
        try await world.syncOrThrow(other)
        try await world.syncOrThrow(center)
        try await world.syncOrThrow(laptop)
        let edited = try laptop.replica.read { try $0.record(member, id: kept.id) }
        #expect(edited?.value("employer") == .text("港务公司"))
        // The delete is forgotten everywhere although the laptop never pulls from the server itself.
        await expectConvergence(world, model)
        for node in world.nodes {
            #expect(try node.replica.read { try $0.record(member, id: dropped.id) } == nil, "\(node.name)")
        }
    }

    @Test func aLaptopGoneHomeAndChangeFilesCarriedByHandConvergeWithEveryTier() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let center = try await world.addNode(SampleData.hubName, id: Self.id(1), kind: .hub)
        let other = try await world.addNode("体育公园服务中心", id: Self.id(2))
        let laptop = try await world.addNode(SampleData.laptopName, id: Self.id(3), kind: .laptop(hub: center.id))
        var model = ConvergenceModel()
        let someone = try write(laptop, &model) { tx in try tx.insert(member, ["name": .text("张三")]) }
        try await world.syncOrThrow(laptop)
        #expect(try await world.isKnownAtServer(laptop) == false)
        try await world.syncOrThrow(center)
        #expect(try await world.isKnownAtServer(laptop))

        // At home: the same token at the central office, which the other center reaches too.
        _ = try write(laptop, &model) { tx in try tx.update(member, id: someone.id, ["phone": .text("13800001111")]) }
        _ = try write(other, &model) { tx in try tx.insert(member, ["name": .text("李四")]) }
        try await world.syncOrThrow(other)
        let home = try await world.syncWithServer(laptop).get()
        #expect(home.switchedUpstream && home.refused == 0 && home.digestMatches == true)

        // A file from its center is refused whole now: the laptop's upstream is the central office.
        let forLaptop = try #require(try world.hubs[center.id]?.registered(laptop.id))
        let hubFile = try ChangeFileExport.make(replica: center.replica, for: .laptop(forLaptop), at: 1)
        let refused = try hubFile.bytes(signedWith: center.replica.signingKey())
        let digest = try laptop.replica.read { try $0.digest() }
        await #expect(throws: ReplicaError.self) {
            try await ChangeFileImport.apply(try ChangeFile.read(refused), to: laptop.replica)
        }
        #expect(try laptop.replica.read { try $0.digest() } == digest)

        // Back at the center; then a write carried to it on a file, imported twice.
        try await world.syncOrThrow(center)
        try await world.syncOrThrow(laptop)
        _ = try write(laptop, &model) { tx in try tx.insert(member, ["name": .text("王五")]) }
        let file = try ChangeFileExport.make(replica: laptop.replica, for: .upstream(center.id), at: 2)
        let bytes = try file.bytes(signedWith: laptop.replica.signingKey())
        let first = try await ChangeFileImport.apply(try ChangeFile.read(bytes), to: center.replica)
        let again = try await ChangeFileImport.apply(try ChangeFile.read(bytes), to: center.replica)
        #expect(first.accepted == 1 && again.accepted == 0 && again.alreadyKnown == 1)
        try await world.syncOrThrow(center)
        try await world.syncOrThrow(other)
        #expect(try other.replica.read { try $0.count(member) } == 3)
        await expectConvergence(world, model)
    }
}
