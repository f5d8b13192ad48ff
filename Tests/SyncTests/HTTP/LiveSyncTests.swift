import Foundation
import HearthProtocol
import NIOHTTP1
import Replica
import SyncClient
import SyncCore
import SyncServer
import Testing

/// End-to-end sync through a real server on 127.0.0.1.
@Suite(.serialized) struct LiveSyncTests {
    @Test func twoNodesConvergeThroughTheServer() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("沙头服务中心")
        let b = try cluster.addNode("体育公园服务中心")
        try a.write { tx in
            for name in ["张伟", "李娜", "王芳"] {
                try tx.insert(HearthSchema.member, ["name": .text(name), "center": .text("沙头")])
            }
        }
        try b.write { tx in try tx.insert(HearthSchema.member, ["name": .text("陈静"), "phone": .text("138 0000 1111")]) }
        let first = try await cluster.sync(a)
        #expect(first.pushed == 3)
        #expect(first.pulled == 0)
        let second = try await cluster.sync(b)
        #expect(second.pushed == 1 && second.pulled == 3)
        let third = try await cluster.sync(a)
        #expect(third.pulled == 1)
        #expect(third.digestMatches == true)
        #expect(try a.snapshot(HearthSchema.member) == b.snapshot(HearthSchema.member))
        #expect(try a.read { try $0.digest() } == b.read { try $0.digest() })
        #expect(try a.read { try $0.unsyncedChangeCount() } == 0)
        try await cluster.shutdown()
    }

    @Test func aNodeJoiningLateReceivesEverything() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        try a.write { tx in
            for i in 0..<1_234 { try tx.insert(HearthSchema.member, ["name": .text("会员\(i)")]) }
        }
        try await cluster.sync(a, pageSize: 100)
        let late = try cluster.addNode("late")
        let report = try await cluster.sync(late, pageSize: 100)
        #expect(report.pulled == 1_234)
        #expect(report.digestMatches == true)
        #expect(try late.read { try $0.count(HearthSchema.member) } == 1_234)
        try await cluster.shutdown()
    }

    @Test func replayingAPushPageChangesNothing() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        try a.write { tx in try tx.insert(HearthSchema.member, ["name": .text("张三")]) }
        let page = try a.pendingRecords(limit: 10)
        let transport = cluster.transport(for: a)
        let request = PushRequest(changes: page.map { WireChange($0.state) })
        let first = try await transport.push(request)
        let digestAfterFirst = try cluster.server.store.replica.read { try $0.digest() }
        let replay = try await transport.push(request)
        #expect(first.accepted == 1)
        #expect(replay.accepted == 0 && replay.alreadyKnown == 1)
        #expect(try cluster.server.store.replica.read { try $0.digest() } == digestAfterFirst)
        try await cluster.shutdown()
    }

    @Test func anInterruptedPullResumesWhereItStopped() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        try a.write { tx in for i in 0..<250 { try tx.insert(HearthSchema.member, ["name": .text("成员\(i)")]) } }
        try await cluster.sync(a)
        let b = try cluster.addNode("b")
        let failing = FailingTransport(inner: cluster.transport(for: b), failPullAfter: 2)
        var configuration = SyncEngine.Configuration()
        configuration.pullPageSize = 50
        await #expect(throws: SyncClientError.self) {
            try await SyncEngine(replica: b, transport: failing, configuration: configuration).sync()
        }
        #expect(try b.read { try $0.count(HearthSchema.member) } == 100)
        #expect(try b.pullCursor() > 0)
        let resumed = try await SyncEngine(
            replica: b, transport: cluster.transport(for: b), configuration: configuration
        ).sync()
        #expect(resumed.pulled == 150)
        #expect(resumed.digestMatches == true)
        try await cluster.shutdown()
    }

    @Test func aWrongOrRevokedTokenGets401() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        let wrong = cluster.transport(for: a, token: "hth_0000000000000000_" + String(repeating: "0", count: 64))
        await #expect { try await wrong.session() } throws: { ($0 as? SyncClientError)?.code == .unauthorized }
        try cluster.server.store.revokeNode(a.nodeID)
        await #expect { try await cluster.transport(for: a).session() } throws: {
            ($0 as? SyncClientError)?.code == .unauthorized
        }
        let raw = try await cluster.raw(
            .GET, "/v1/session",
            headers: [("Hearth-Protocol", String(ProtocolVersion.current)), ("Authorization", "Bearer nonsense")])
        #expect(raw.status == 401)
        #expect(try JSONDecoder().decode(ErrorResponse.self, from: raw.body).error.code == "unauthorized")
        try await cluster.shutdown()
    }

    @Test func aChangeCarryingAnotherNodesDotIsRefusedAloneAndStaysPending() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        let b = try cluster.addNode("b")
        try b.write { tx in try tx.insert(HearthSchema.member, ["name": .text("李四")]) }
        // Node a holds b's write, which the server has never seen, and a write of its own.
        let carried = try b.pendingRecords(limit: 1)
        try a.write { tx in
            for record in carried { try tx.apply(record.state, from: .downstream(b.nodeID)) }
            try tx.insert(HearthSchema.member, ["name": .text("张三")])
        }
        let report = try await cluster.sync(a)
        #expect(report.pushed == 1)
        #expect(report.refused == 1)
        #expect(try a.pendingRecordCount() == 1)
        let refusals = try a.read { try $0.pushRefusals() }
        #expect(refusals.map(\.recordID) == carried.map(\.state.id))
        #expect(refusals.first?.code == "forbidden")
        #expect(try cluster.server.store.replica.read { try $0.count(HearthSchema.member) } == 1)
        // Once b pushes its own write, a's copy is acceptable: nothing stays refused.
        _ = try await cluster.sync(b)
        let again = try await cluster.sync(a)
        #expect(again.refused == 0)
        #expect(try a.pendingRecordCount() == 0)
        #expect(try a.read { try $0.pushRefusals() }.isEmpty)
        try await cluster.shutdown()
    }

    @Test func aHubMayForwardItsOwnLaptopsChangesAndNoOneElses() async throws {
        let cluster = try await LiveCluster.start()
        let hub = try cluster.addNode("沙头服务中心", forward: true)
        let laptop = try cluster.addNode("志愿者笔记本", hub: hub.nodeID)
        let stranger = try cluster.addNode("体育公园志愿者")
        try laptop.write { tx in try tx.insert(HearthSchema.member, ["name": .text("赵六")]) }
        try stranger.write { tx in try tx.insert(HearthSchema.member, ["name": .text("钱七")]) }
        let carried = try laptop.pendingRecords(limit: 10) + stranger.pendingRecords(limit: 10)
        try hub.write { tx in for record in carried { try tx.apply(record.state, from: .downstream(laptop.nodeID)) } }
        let report = try await cluster.sync(hub)
        #expect(report.pushed == 1)
        #expect(report.refused == 1)
        #expect(try cluster.server.store.replica.read { try $0.count(HearthSchema.member) } == 1)
        let forwarded = try cluster.server.store.replica.read {
            try $0.record(HearthSchema.member, id: carried[0].state.id)
        }
        #expect(forwarded != nil)
        try await cluster.shutdown()
    }

    @Test func aPullAnswerForAnotherPositionIsNeverApplied() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("沙头服务中心")
        let b = try cluster.addNode("体育公园服务中心")
        try a.write { tx in _ = try tx.insert(HearthSchema.member, ["name": .text("张三")]) }
        try await cluster.sync(a)
        try await cluster.sync(b)
        let cursor = try b.pullCursor()
        #expect(cursor > 0)
        try a.write { tx in _ = try tx.insert(HearthSchema.member, ["name": .text("李四")]) }
        try await cluster.sync(a)
        let lying = SyncEngine(replica: b, transport: MisansweringTransport(inner: cluster.transport(for: b)))
        let refused = await #expect(throws: SyncClientError.self) { try await lying.sync() }
        #expect(refused?.code == .badResponse)
        #expect(try b.pullCursor() == cursor)
        #expect(try b.snapshot(HearthSchema.member).count == 1)
        #expect(try await cluster.sync(b).pulled == 1)
        try await cluster.shutdown()
    }

    @Test(arguments: ["2", "4", "abc"]) func anUnsupportedProtocolVersionGetsTheDocumentedError(version: String)
        async throws
    {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        let raw = try await cluster.raw(
            .GET, "/v1/session",
            headers: [("Hearth-Protocol", version), ("Authorization", "Bearer \(cluster.tokens[a.nodeID]!)")])
        let body = try JSONDecoder().decode(ErrorResponse.self, from: raw.body)
        switch version {
        case "2":
            #expect(raw.status == 426)
            #expect(body.error.code == "protocol_too_old")
            #expect(body.error.message.contains("upgrade hearth"))
        case "4":
            #expect(raw.status == 400)
            #expect(body.error.code == "protocol_too_new")
        default:
            #expect(raw.status == 400)
        }
        try await cluster.shutdown()
    }

    @Test func aTooLargeBodyGets413AndChangesNothing() async throws {
        let cluster = try await LiveCluster.start(configuration: .init(host: "127.0.0.1", port: 0, maxBodyBytes: 4_096))
        let a = try cluster.addNode("a")
        let big = Data(("{\"changes\":[" + String(repeating: " ", count: 10_000) + "]}").utf8)
        let raw = try await cluster.raw(
            .POST, "/v1/changes",
            headers: [
                ("Hearth-Protocol", String(ProtocolVersion.current)),
                ("Authorization", "Bearer \(cluster.tokens[a.nodeID]!)"),
                ("Content-Type", "application/json"),
            ],
            body: big)
        #expect(raw.status == 413)
        #expect(try JSONDecoder().decode(ErrorResponse.self, from: raw.body).error.code == "payload_too_large")
        try await cluster.shutdown()
    }

    @Test func plainHTTPTokensAreRefusedForPublicHosts() throws {
        #expect(throws: SyncClientError.self) {
            try RemoteAddressPolicy.check("http://example.org", allowInsecure: false)
        }
        #expect(try RemoteAddressPolicy.check("http://example.org", allowInsecure: true).host == "example.org")
        #expect(try RemoteAddressPolicy.check("https://example.org", allowInsecure: false).host == "example.org")
        for host in ["127.0.0.1", "localhost", "192.168.1.20", "10.1.2.3", "172.20.0.5", "[::1]"] {
            #expect(throws: Never.self) { try RemoteAddressPolicy.check("http://\(host):8080", allowInsecure: false) }
        }
        #expect(throws: SyncClientError.self) {
            try RemoteAddressPolicy.check("http://172.32.0.1", allowInsecure: false)
        }
    }
}

/// Passes requests through, but answers every pull with the page from the start of the feed,
/// whatever position was asked for: a stale cache or a mixed-up retry.
struct MisansweringTransport: SyncTransport {
    let inner: any SyncTransport

    func session(writer: String?) async throws -> SessionResponse { try await inner.session(writer: writer) }
    func push(_ request: PushRequest, lineage: PushLineage?) async throws -> PushResponse {
        try await inner.push(request, lineage: lineage)
    }
    func pull(since cursor: Int64, limit: Int, includeOwn: Bool, settled: SettledWrites?) async throws
        -> PullResponse
    {
        try await inner.pull(since: 0, limit: limit, includeOwn: includeOwn, settled: settled)
    }
}

/// Passes requests through, but fails every pull after the first `failPullAfter` pages.
final class FailingTransport: SyncTransport, @unchecked Sendable {
    // Locking rule: `pulls` is only touched from the single task that drives the sync.
    let inner: any SyncTransport
    let failPullAfter: Int
    var pulls = 0

    init(inner: any SyncTransport, failPullAfter: Int) {
        self.inner = inner
        self.failPullAfter = failPullAfter
    }

    func session(writer: String?) async throws -> SessionResponse { try await inner.session(writer: writer) }
    func push(_ request: PushRequest, lineage: PushLineage?) async throws -> PushResponse {
        try await inner.push(request, lineage: lineage)
    }
    func pull(since cursor: Int64, limit: Int, includeOwn: Bool, settled: SettledWrites?) async throws
        -> PullResponse
    {
        pulls += 1
        if pulls > failPullAfter { throw SyncClientError(.unreachable, "simulated broken connection") }
        return try await inner.pull(since: cursor, limit: limit, includeOwn: includeOwn, settled: settled)
    }
}
