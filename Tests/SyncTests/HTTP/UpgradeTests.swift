import Foundation
import HearthProtocol
import Replica
import SyncClient
import SyncCore
import SyncServer
import Testing

/// Two releases side by side through a real server: today's declarations, and a newer one with
/// an extra member field and an extra record type. In both upgrade orders every replica
/// converges, nothing a newer node wrote is lost on an older one, and an upgrade shows it.
@Suite(.serialized) struct UpgradeTests {
    static let newerMember: RecordType = {
        var member = HearthSchema.member
        member.fields.append(FieldSpec("wechat", .text, personal: true))
        return member
    }()

    static let badge = RecordType(
        name: "badge",
        fields: [FieldSpec("title", .text, required: true), FieldSpec("memberId", .reference("member"))],
        labelField: "title")

    static let newer = RecordCatalog(
        [newerMember, HearthSchema.activity, HearthSchema.participation, badge], version: 2)

    /// What a newer node writes: a member with the new field, and a record of the new type.
    static func writeWithNewFeatures(on newer: Replica) throws -> (member: String, badge: String) {
        try newer.write { tx in
            let member = try tx.insert(newerMember, ["name": .text("张三"), "wechat": .text("zhangsan_wx")])
            let badge = try tx.insert(badge, ["title": .text("优秀志愿者"), "memberId": .text(member.id)])
            return (member.id, badge.id)
        }
    }

    @Test func theServerAndOneCenterUpgradeFirstAndAnOfflineCenterLosesNothing() async throws {
        let world = try await UpgradeWorld(serverCatalog: Self.newer)
        let upgraded = try world.node("沙头服务中心", Self.newer)
        let lagging = try world.node("村联合会", .hearth)
        let ids = try Self.writeWithNewFeatures(on: upgraded)
        try await world.sync(upgraded)
        let pulled = try await world.sync(lagging)
        #expect(pulled.digestMatches == true)
        #expect(try lagging.read { try $0.keptForNewerReleaseCount() } == 2)
        // The older node edits a field it knows; the newer field survives its write.
        try lagging.write { tx in try tx.update(HearthSchema.member, id: ids.member, ["phone": .text("13800001111")]) }
        let pushed = try await world.sync(lagging)
        #expect(pushed.refused == 0 && pushed.digestMatches == true)
        #expect(try await world.sync(upgraded).digestMatches == true)
        let onUpgraded = try #require(try upgraded.read { try $0.record(Self.newerMember, id: ids.member) })
        #expect(onUpgraded.value("wechat") == .text("zhangsan_wx"))
        #expect(onUpgraded.value("phone") == .text("13800001111"))

        // The lagging center is upgraded: the kept values appear, and the digest does not move.
        let before = try lagging.read { try $0.digest() }
        let path = lagging.path
        try lagging.close()
        let reopened = try Replica.open(at: path, catalog: Self.newer)
        #expect(try reopened.read { try $0.digest() } == before)
        #expect(try reopened.read { try $0.keptForNewerReleaseCount() } == 0)
        #expect(
            try reopened.read { try $0.record(Self.newerMember, id: ids.member) }?.value("wechat")
                == .text("zhangsan_wx"))
        #expect(try reopened.read { try $0.record(Self.badge, id: ids.badge) }?.value("title") == .text("优秀志愿者"))
        #expect(try reopened.read { try $0.checkRecords() }.mismatched == 0)
        #expect(try await world.sync(reopened).digestMatches == true)
        try reopened.close()
        try await world.finish()
    }

    @Test func aNewerNodeSyncsThroughAnOlderServerAndNothingIsLostUntilItIsUpgraded() async throws {
        let world = try await UpgradeWorld(serverCatalog: .hearth)
        let newer = try world.node("工业园服务中心", Self.newer)
        let older = try world.node("体育公园服务中心", .hearth)
        let another = try world.node("沙头服务中心", Self.newer)
        let ids = try Self.writeWithNewFeatures(on: newer)
        #expect(try await world.sync(newer).refused == 0)
        try await world.sync(older)
        try older.write { tx in try tx.update(HearthSchema.member, id: ids.member, ["notes": .text("来自旧版本")]) }
        try await world.sync(older)
        try await world.sync(another)
        try await world.sync(newer)
        let seen = try #require(try another.read { try $0.record(Self.newerMember, id: ids.member) })
        #expect(seen.value("wechat") == .text("zhangsan_wx"))
        #expect(seen.value("notes") == .text("来自旧版本"))
        #expect(try another.read { try $0.record(Self.badge, id: ids.badge) } != nil)

        // hearth-server is upgraded later: it serves the same data, now declared.
        try await world.restartServer(with: Self.newer)
        for replica in [newer, older, another] {
            let report = try await world.sync(replica)
            #expect(report.digestMatches == true)
        }
        #expect(try world.server.store.replica.read { try $0.keptForNewerReleaseCount() } == 0)
        #expect(try world.server.store.replica.read { try $0.count(Self.badge) } == 1)
        try await world.finish()
    }
}

/// A server and replicas in one temp folder, each replica with its own release's declarations.
final class UpgradeWorld {
    let directory: URL
    let serverPath: String
    var server: EmbeddedServer
    var tokens: [NodeID: String] = [:]

    init(serverCatalog: RecordCatalog) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-upgrade-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        serverPath = directory.appendingPathComponent("server.db").path
        server = try await EmbeddedServer.start(databasePath: serverPath, catalog: serverCatalog)
    }

    func node(_ name: String, _ catalog: RecordCatalog) throws -> Replica {
        let (node, token) = try server.store.addNode(name: name, canForward: false, id: nil, hub: nil)
        tokens[node.id] = token
        return try Replica.create(
            at: directory.appendingPathComponent("\(node.id).db").path, name: name, nodeID: node.id,
            catalog: catalog)
    }

    @discardableResult
    func sync(_ replica: Replica) async throws -> SyncReport {
        let transport = HTTPSyncTransport(baseURL: server.baseURL, token: tokens[replica.nodeID]!)
        return try await SyncEngine(replica: replica, transport: transport).sync()
    }

    /// Reopens the server's database with other declarations (an upgraded hearth-server).
    func restartServer(with catalog: RecordCatalog) async throws {
        try await server.stop()
        server = try await EmbeddedServer.start(databasePath: serverPath, catalog: catalog)
    }

    func finish() async throws {
        try await server.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
