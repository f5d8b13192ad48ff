import HearthProtocol
import HearthTestSupport
import Replica
import SyncClient
import SyncCore
import SyncServer
import Testing

/// Fixed conflict scenarios over the in-process network of the convergence kit (no faults):
/// real replicas, the real sync engine and the real sync service.
@Suite("Conflict scenarios")
struct ConflictScenarioTests {
    let member = HearthSchema.member
    let activity = HearthSchema.activity
    let participation = HearthSchema.participation

    static func nodeID(_ number: Int) -> NodeID {
        NodeID("00000000-0000-4000-8000-\(String(repeating: "0", count: 11))\(number)")!
    }

    /// Three centers X, Y and Z registered with one server.
    func threeNodes(_ world: SimulatedWorld) async throws -> (x: SimulatedNode, y: SimulatedNode, z: SimulatedNode) {
        (
            try await world.addNode("沙头服务中心", id: Self.nodeID(1)),
            try await world.addNode("志愿者-2", id: Self.nodeID(2)),
            try await world.addNode("体育公园服务中心", id: Self.nodeID(3))
        )
    }

    /// Every replica with its name, the server's first.
    func everyReplica(_ world: SimulatedWorld) -> [(name: String, replica: Replica)] {
        [("server", world.serverReplica)] + world.nodes.map { ($0.name, $0.replica) }
    }

    func settle(_ world: SimulatedWorld) async throws {
        let problems = await ConvergenceChecker.settle(world)
        try #require(problems.isEmpty, "\(problems)")
        let digests = try everyReplica(world).map { entry in try entry.replica.read { try $0.digest() } }
        #expect(Set(digests).count == 1, "every replica holds the same data")
    }

    func createMember(on node: SimulatedNode, _ name: String, phone: String? = nil) throws -> String {
        var values: [String: FieldValue] = ["name": .text(name)]
        if let phone { values["phone"] = .text(phone) }
        return try node.replica.write { tx in try tx.insert(member, values) }.id
    }

    func createActivity(on node: SimulatedNode, capacity: Int64? = nil) throws -> String {
        try node.replica.write { tx in
            try tx.insert(
                activity,
                [
                    "title": .text("除夕团圆饭"), "kind": .text("holiday"), "startsAt": .text("2026-02-16T18:00"),
                    "capacity": capacity.map(FieldValue.integer) ?? .null,
                ])
        }.id
    }

    // MARK: The scenario of issue 4

    @Test func concurrentPhoneEditsBecomeOneConflictNamingBothEditorsUntilResolved() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let (x, y, z) = try await threeNodes(world)
        let id = try createMember(on: x, "张三", phone: "13800138000")
        try x.replica.write { tx in try tx.update(member, id: id, ["employer": .text("宝安建筑有限公司")]) }
        try x.replica.write { tx in try tx.update(member, id: id, ["phone": .text("13800138001")]) }
        for node in [x, y, z] { try await world.syncOrThrow(node) }
        for node in [y, z] {
            #expect(try node.replica.read { try $0.record(member, id: id) }?.value("phone") == .text("13800138001"))
        }

        // Y and Z, offline, each change the phone.
        try y.replica.write { tx in try tx.update(member, id: id, ["phone": .text("13911112222")]) }
        try z.replica.write { tx in try tx.update(member, id: id, ["phone": .text("13633334444")]) }
        try await settle(world)

        let shown = try #require(try world.serverReplica.read { try $0.record(member, id: id) }).value("phone")
        #expect([FieldValue.text("13911112222"), .text("13633334444")].contains(shown))
        for (name, replica) in everyReplica(world) {
            let state = try #require(try replica.read { try $0.record(member, id: id) }, "\(name)")
            #expect(state.value("phone") == shown, "\(name) shows the same phone")
            let conflicts = try replica.read { try $0.conflicts() }
            #expect(conflicts.count == 1, "\(name) has exactly one open conflict")
            let report = try #require(conflicts.first, "\(name)")
            #expect(report.field == "phone" && report.recordID == id && report.recordLabel == "张三")
            #expect(Set(report.sides.map(\.nodeName)) == ["志愿者-2", "体育公园服务中心"], "\(name) names Y and Z")
            #expect(report.shown.value == shown)
            #expect(
                report.vector[x.id] >= 2 && report.vector[y.id] == 1 && report.vector[z.id] == 1, "\(report.vector)")
            #expect(state.vector == report.vector)
            #expect(report.explanation.contains("志愿者-2") && report.explanation.contains("体育公园服务中心"))
        }

        // X decides.
        let report = try #require(try x.replica.read { try $0.conflicts() }.first)
        try x.replica.write { tx in try tx.resolve(report, .value("13700001111")) }
        try await settle(world)
        for (name, replica) in everyReplica(world) {
            #expect(try replica.read { try $0.conflicts() }.isEmpty, "\(name) has no open conflict")
            #expect(
                try replica.read { try $0.record(member, id: id) }?.value("phone") == .text("13700001111"), "\(name)")
        }
    }

    // MARK: Merges

    @Test func concurrentEditsOfDifferentFieldsMergeSilently() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let (x, y, z) = try await threeNodes(world)
        let id = try createMember(on: x, "李秀英")
        try await settle(world)
        try y.replica.write { tx in try tx.update(member, id: id, ["phone": .text("13912345678")]) }
        try z.replica.write { tx in try tx.update(member, id: id, ["employer": .text("华南机械厂"), "skills": .text("电焊工")])
        }
        try await settle(world)
        for (name, replica) in everyReplica(world) {
            #expect(try replica.read { try $0.conflicts() }.isEmpty, "\(name)")
            let state = try #require(try replica.read { try $0.record(member, id: id) }, "\(name)")
            #expect(state.value("phone") == .text("13912345678"))
            #expect(state.value("employer") == .text("华南机械厂") && state.value("skills") == .text("电焊工"))
            #expect(state.value("name") == .text("李秀英"))
        }
        _ = x
    }

    @Test func deleteAgainstAConcurrentEditKeepsTheRecordWithAConflict() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let (x, y, z) = try await threeNodes(world)
        let id = try createMember(on: x, "王建国", phone: "13800000001")
        try await settle(world)
        try y.replica.write { tx in try tx.delete(member, id: id) }
        try z.replica.write { tx in try tx.update(member, id: id, ["phone": .text("13622223333")]) }
        try await settle(world)
        for (name, replica) in everyReplica(world) {
            let state = try #require(try replica.read { try $0.record(member, id: id) }, "\(name)")
            #expect(!state.isDeleted, "\(name) keeps the edited record alive")
            #expect(state.value("phone") == .text("13622223333"))
            let conflicts = try replica.read { try $0.conflicts() }
            #expect(conflicts.map(\.field) == [RecordState.lifecycleField], "\(name)")
            #expect(conflicts.first?.explanation.contains("deleted at 志愿者-2") == true)
            #expect(try replica.read { try $0.list(member) }.map(\.id) == [id])
        }

        // The deleter confirms the delete: it wins everywhere and the conflict closes (the
        // final sync goes on until every node has seen it, so the tombstone is collected too).
        let report = try #require(try y.replica.read { try $0.conflicts() }.first)
        try y.replica.write { tx in try tx.resolve(report, .keepLocal) }
        try await settle(world)
        for (name, replica) in everyReplica(world) {
            let state = try replica.read { try $0.record(member, id: id) }
            #expect(state == nil || state!.isDeleted, "\(name)")
            #expect(try replica.read { try $0.conflicts() }.isEmpty, "\(name)")
        }
        _ = x
    }

    // MARK: Participation

    @Test func duplicateRegistrationOnTwoNodesCollapsesToOne() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let (x, y, z) = try await threeNodes(world)
        let memberID = try createMember(on: x, "陈春梅")
        let activityID = try createActivity(on: x)
        try await settle(world)
        for node in [y, z] {
            try node.replica.write { tx in try Roster(tx).register(member: memberID, activity: activityID) }
        }
        try await settle(world)
        let expectedID = Roster.participationID(member: memberID, activity: activityID)
        for (name, replica) in everyReplica(world) {
            let rows = try replica.read { try ReplicaContents.allStates($0) }.filter { $0.type == participation.name }
            #expect(rows.map(\.id) == [expectedID], "\(name) holds one participation")
            #expect(rows.first?.value("status") == .text("registered"))
            #expect(try replica.read { try $0.conflicts() }.isEmpty, "\(name)")
            #expect(try replica.read { try Attendance.load(activity: activityID, $0) }.registered == 1)
        }
    }

    @Test func attendanceOnOneNodeAgainstCancellationOnAnotherIsAConflictOnStatus() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let (x, y, z) = try await threeNodes(world)
        let memberID = try createMember(on: x, "赵磊")
        let activityID = try createActivity(on: x)
        try x.replica.write { tx in try Roster(tx).register(member: memberID, activity: activityID) }
        try await settle(world)
        try y.replica.write { tx in
            try Roster(tx).checkIn(member: memberID, activity: activityID, at: "2026-02-16T18:05")
        }
        try z.replica.write { tx in try Roster(tx).cancel(member: memberID, activity: activityID) }
        try await settle(world)
        let shown = try #require(
            try world.serverReplica.read {
                try $0.record(participation, id: Roster.participationID(member: memberID, activity: activityID))
            }
        ).value("status")
        for (name, replica) in everyReplica(world) {
            let conflicts = try replica.read { try $0.conflicts() }
            #expect(conflicts.map(\.field) == ["status"], "\(name)")
            let report = try #require(conflicts.first)
            #expect(Set(report.sides.map(\.value)) == [.text("attended"), .text("cancelled")])
            #expect(Set(report.sides.map(\.nodeName)) == ["志愿者-2", "体育公园服务中心"])
            #expect(report.shown.value == shown, "\(name) shows the same status")
        }
    }

    @Test func registrationsPastCapacityAcrossNodesAreKeptAndFlagged() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let (x, y, z) = try await threeNodes(world)
        let activityID = try createActivity(on: x, capacity: 2)
        let members = try ["刘伟", "杨芳", "黄勇", "吴娜"].map { try createMember(on: x, $0) }
        try x.replica.write { tx in try Roster(tx).register(member: members[0], activity: activityID) }
        try await settle(world)
        // Each sees one of two places taken, so each accepts one more.
        try y.replica.write { tx in try Roster(tx).register(member: members[1], activity: activityID) }
        try z.replica.write { tx in try Roster(tx).register(member: members[2], activity: activityID) }
        try await settle(world)
        for (name, replica) in everyReplica(world) {
            let attendance = try replica.read { try Attendance.load(activity: activityID, $0) }
            #expect(attendance.registered == 3, "\(name) keeps every registration")
            #expect(attendance.isOverCapacity, "\(name) flags the activity as over capacity")
        }
        // Local input is still held to the capacity.
        let refusal = #expect(throws: ReplicaError.self) {
            try x.replica.write { tx in try Roster(tx).register(member: members[3], activity: activityID) }
        }
        #expect(refusal?.code == .refused)
    }

    // MARK: Hubs

    @Test func aLaptopsChangesReachEveryReplicaThroughItsHub() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let center = try await world.addNode("沙头服务中心", id: Self.nodeID(1))
        let hub = try await world.addNode(SampleData.hubName, id: Self.nodeID(2), kind: .hub)
        let laptop = try await world.addNode(SampleData.laptopName, id: Self.nodeID(3), kind: .laptop(hub: hub.id))
        let id = try createMember(on: laptop, "孙杰", phone: "13855556666")
        try await world.syncOrThrow(laptop)
        try await world.syncOrThrow(hub)
        try await world.syncOrThrow(center)
        #expect(try center.replica.read { try $0.record(member, id: id) }?.value("phone") == .text("13855556666"))

        try center.replica.write { tx in try tx.update(member, id: id, ["phone": .text("13900001111")]) }
        try laptop.replica.write { tx in try tx.update(member, id: id, ["phone": .text("13700002222")]) }
        try await settle(world)
        for (name, replica) in everyReplica(world) {
            let report = try #require(try replica.read { try $0.conflicts() }.first, "\(name)")
            #expect(Set(report.sides.map(\.nodeName)) == ["沙头服务中心", SampleData.laptopName], "\(name)")
            #expect(report.vector[laptop.id] == 2 && report.vector[center.id] == 1)
        }
    }

    @Test func aCenterThatIsNotAHubCannotForwardALaptopsChanges() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let center = try await world.addNode("沙头服务中心", id: Self.nodeID(1))
        let laptop = try await world.addNode(SampleData.laptopName, id: Self.nodeID(3), kind: .laptop(hub: center.id))
        _ = try createMember(on: laptop, "郭敏")
        try await world.syncOrThrow(laptop)
        let report = try await world.syncOrThrow(center)
        #expect(report.refused == 1 && report.laptopRefusals.count == 1)
        #expect(try center.replica.read { try $0.pushRefusals() }.map(\.code) == [ErrorCode.forbidden])
        #expect(try world.serverReplica.read { try $0.count(member) } == 0)
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
