import Foundation
import HearthProtocol
import NIOHTTP1
import Replica
import SyncCore
import SyncServer
import Synchronization
import Testing

@testable import SyncClient

/// `hearth sync --watch` in process: watchers on a real server on 127.0.0.1, and the long poll
/// that tells them there is something new.
@Suite(.serialized, .timeLimit(.minutes(2))) struct LiveSyncWatchTests {
    /// Polls `replica` until `condition` holds (at most `attempts` × 10 ms); true if it did.
    static func eventually(_ attempts: Int = 1_500, _ condition: () throws -> Bool) async throws -> Bool {
        for _ in 0..<attempts {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try condition()
    }

    static func watch(_ replica: Replica, _ transport: any SyncTransport) -> Task<Void, Never> {
        var watcher = SyncWatcher(
            engine: SyncEngine(replica: replica, transport: transport), replica: replica, transport: transport)
        watcher.firstBackoff = .milliseconds(50)
        watcher.maxBackoff = .milliseconds(400)
        return Task { [watcher] in await watcher.run { _ in } }
    }

    @Test func aWriteOnOneWatchingNodeAppearsOnTheOtherWithoutACommand() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("沙头服务中心")
        let b = try cluster.addNode("体育公园服务中心")
        let watchers = [Self.watch(a, cluster.transport(for: a)), Self.watch(b, cluster.transport(for: b))]
        let id = try a.write { tx in try tx.insert(HearthSchema.member, ["name": .text("实时登记")]) }.id
        #expect(try await Self.eventually { try b.read { try $0.record(HearthSchema.member, id: id) } != nil })
        // And back: an edit on B reaches A.
        try b.write { tx in try tx.update(HearthSchema.member, id: id, ["employer": .text("港务公司")]) }
        #expect(try await Self.eventually { try a.snapshot(HearthSchema.member)[id]?["employer"] == .text("港务公司") })
        for watcher in watchers { watcher.cancel() }
        for watcher in watchers { await watcher.value }
        try await cluster.shutdown()
    }

    /// A center running `hearth serve` and `hearth sync --watch` forwards live both ways: a
    /// laptop's write reaches another center, and that center's reaches the laptop, with no command.
    /// Told of news by the server, a watcher with nothing to send pulls without a session; after
    /// a local write it syncs in full, so the write goes up.
    @Test func newsFromTheServerIsPulledWithoutASessionAndALocalWriteSyncsInFull() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("沙头服务中心")
        let b = try cluster.addNode("体育公园服务中心")
        let reports = Reports()
        var watcherB = SyncWatcher(
            engine: SyncEngine(replica: b, transport: cluster.transport(for: b)), replica: b,
            transport: cluster.transport(for: b))
        watcherB.firstBackoff = .milliseconds(50)
        let watchers = [
            Self.watch(a, cluster.transport(for: a)),
            Task { [watcherB] in await watcherB.run { if case .synced(let report) = $0 { reports.add(report) } } },
        ]
        let id = try a.write { tx in try tx.insert(HearthSchema.member, ["name": .text("实时登记")]) }.id
        #expect(try await Self.eventually { try b.read { try $0.record(HearthSchema.member, id: id) } != nil })
        #expect(reports.all.contains { $0.pullOnly && $0.pulled == 1 && $0.digestMatches == true })
        try b.write { tx in try tx.update(HearthSchema.member, id: id, ["employer": .text("港务公司")]) }
        #expect(try await Self.eventually { try a.snapshot(HearthSchema.member)[id]?["employer"] == .text("港务公司") })
        #expect(reports.all.contains { !$0.pullOnly && $0.pushed == 1 })
        #expect(!reports.all.contains { $0.pullOnly && $0.pushed > 0 })
        for watcher in watchers { watcher.cancel() }
        for watcher in watchers { await watcher.value }
        try await cluster.shutdown()
    }

    /// Only news from the server this replica's last session saw, with nothing pending here,
    /// is pulled without a session: another epoch (a restored server), none (an older server),
    /// a pending write or a local change all mean a full sync.
    @Test func aPullWithoutASessionOnlyWhenNothingElseCouldBeNeeded() async throws {
        let cluster = try await LiveCluster.start()
        let b = try cluster.addNode("b")
        let transport = cluster.transport(for: b)
        let watcher = SyncWatcher(
            engine: SyncEngine(replica: b, transport: transport), replica: b, transport: transport)
        try await cluster.sync(b)
        let epoch = try #require(try b.knownServerEpoch())
        let news = { (epoch: String?) in
            SyncWatcher.Wake.serverNews(WaitResponse(changed: true, latest: 1, serverTime: 0, serverEpoch: epoch))
        }
        #expect(watcher.attempt(after: news(epoch)) == .pullOnly)
        #expect(watcher.attempt(after: news(UUID().uuidString)) == .fullSync)
        #expect(watcher.attempt(after: news(nil)) == .fullSync)
        #expect(watcher.attempt(after: .localChange) == .fullSync)
        #expect(watcher.attempt(after: .waitEnded) == .fullSync)
        try b.write { tx in try tx.insert(HearthSchema.member, ["name": .text("待推送")]) }
        #expect(watcher.attempt(after: news(epoch)) == .fullSync)
        try await cluster.shutdown()
    }

    /// What a watcher reported, for a test to look at.
    final class Reports: Sendable {
        private let list = Mutex<[SyncReport]>([])
        func add(_ report: SyncReport) { list.withLock { $0.append(report) } }
        var all: [SyncReport] { list.withLock { $0 } }
    }

    @Test func aWatchingCenterForwardsItsLaptopsWritesLiveBothWays() async throws {
        let cluster = try await HubCluster.start()
        let center = try cluster.addCenter("沙头服务中心")
        let park = try cluster.addCenter("体育公园服务中心", forward: false)
        try await cluster.serve(center)
        let laptop = try cluster.addLaptop("汽车站服务台", at: center)
        let store = try cluster.hubStore(of: center)
        let upstream = cluster.central.transport(for: center)
        let centerWatcher = SyncWatcher(
            engine: SyncEngine(
                replica: center, transport: upstream, hubLaptops: { try store.laptopsForUpstream().map(\.wire) }),
            replica: center, transport: upstream)
        let laptopTransport = try cluster.laptopTransport(laptop)
        let watchers = [
            Task { await centerWatcher.run { _ in } }, Self.watch(laptop, laptopTransport),
            Self.watch(park, cluster.central.transport(for: park)),
        ]
        let fromDesk = try laptop.write { tx in try tx.insert(HearthSchema.member, ["name": .text("服务台登记")]) }.id
        #expect(try await Self.eventually { try park.read { try $0.record(HearthSchema.member, id: fromDesk) } != nil })
        let fromPark = try park.write { tx in try tx.insert(HearthSchema.member, ["name": .text("公园登记")]) }.id
        #expect(
            try await Self.eventually { try laptop.read { try $0.record(HearthSchema.member, id: fromPark) } != nil })
        for watcher in watchers { watcher.cancel() }
        for watcher in watchers { await watcher.value }
        try await cluster.shutdown()
    }

    @Test func watchersRideOutTheServerGoingAwayAndComingBack() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-watch-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("server.db").path
        var server = try await EmbeddedServer.start(databasePath: path)
        let port = server.port
        var tokens: [NodeID: String] = [:]
        var replicas: [Replica] = []
        for name in ["a", "b"] {
            let (node, token) = try server.store.addNode(name: name, canForward: false)
            tokens[node.id] = token
            replicas.append(
                try Replica.create(at: directory.appendingPathComponent("\(name).db").path, name: name, nodeID: node.id)
            )
        }
        let (a, b) = (replicas[0], replicas[1])
        let url = server.baseURL
        let watchers = [a, b].map { Self.watch($0, HTTPSyncTransport(baseURL: url, token: tokens[$0.nodeID]!)) }
        let first = try a.write { tx in try tx.insert(HearthSchema.member, ["name": .text("停电前")]) }.id
        #expect(try await Self.eventually { try b.read { try $0.record(HearthSchema.member, id: first) } != nil })
        try await server.stop()
        let second = try a.write { tx in try tx.insert(HearthSchema.member, ["name": .text("停电时")]) }.id
        try await Task.sleep(for: .milliseconds(300))  // the watchers find the server gone and back off
        server = try await EmbeddedServer.start(
            databasePath: path, configuration: .init(host: "127.0.0.1", port: port))
        #expect(try await Self.eventually { try b.read { try $0.record(HearthSchema.member, id: second) } != nil })
        for watcher in watchers { watcher.cancel() }
        for watcher in watchers { await watcher.value }
        try await server.stop()
    }

    @Test func aWaitAnswersWhenThereIsSomethingForTheNodeAndOnlyThen() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        let b = try cluster.addNode("b")
        let transport = cluster.transport(for: b)
        let quiet = try await transport.waitForChanges(since: 0, timeout: .zero)
        #expect(!quiet.changed)
        // A's own push is nothing new for A; it is for B.
        try a.write { tx in try tx.insert(HearthSchema.member, ["name": .text("张三")]) }
        try await cluster.sync(a)
        #expect(try await !cluster.transport(for: a).waitForChanges(since: 0, timeout: .zero).changed)
        let news = try await transport.waitForChanges(since: 0, timeout: .seconds(30))
        #expect(news.changed && news.latest > 0)
        try await cluster.sync(a)
        let known = try a.knownServerEpoch()
        #expect(news.serverEpoch != nil && news.serverEpoch == known)
        // Past the end of the feed: at once, so the node pulls and learns why.
        #expect(try await transport.waitForChanges(since: news.latest + 10, timeout: .seconds(30)).changed)
        let bad = try await cluster.raw(
            .GET, "/v1/changes/wait?since=0&timeout=-1",
            headers: [
                ("Hearth-Protocol", String(ProtocolVersion.current)),
                ("Authorization", "Bearer \(cluster.tokens[b.nodeID]!)"),
            ])
        #expect(bad.status == 400)
        try await cluster.shutdown()
    }

    /// A write this server did not make (here: straight into its store, as another process or
    /// another server over the same database would) still wakes a waiting node, through the one
    /// poller; the wait is as long as the test's time limit, so only a wake ends it in time.
    @Test(.timeLimit(.minutes(1))) func aWriteMadeElsewhereWakesAWaitingNode() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        let b = try cluster.addNode("b")
        let transport = cluster.transport(for: b)
        let waiting = Task { try await transport.waitForChanges(since: 0, timeout: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(200))
        try a.write { tx in try tx.insert(HearthSchema.member, ["name": .text("别处写入")]) }
        let registered = try #require(try cluster.server.store.nodes().first { $0.id == a.nodeID })
        _ = try cluster.server.store.applyPush(try a.pendingRecords(limit: 10).map(\.state), from: registered) { _ in
            nil
        }
        #expect(try await waiting.value.changed)
        try await cluster.shutdown()
    }

    /// A push landing while a wait is being registered wakes it too: the waiter checks the
    /// generation again when it registers (it runs in a task of its own, after `wait`'s check).
    /// Before that check, one of these waits in a few hundred slept its whole timeout.
    @Test func aPushRacingAWaitStillWakesIt() async throws {
        let signal = FeedSignal()
        for _ in 0..<500 {
            let seen = await signal.current
            let waiting = Task {
                let start = ContinuousClock.now
                await signal.wait(past: seen, timeout: .seconds(30))
                return start.duration(to: .now)
            }
            // Let the wait get part of the way, sometimes past its check, before the push.
            for _ in 0..<Int.random(in: 0...3) { await Task.yield() }
            await signal.bump()
            let waited = await waiting.value
            // Woken, not timed out (a generous bound: the timeout is 30 s).
            #expect(waited < .seconds(10))
            if waited >= .seconds(10) { break }
        }
    }

    /// A wait far longer than the test's time limit returns only because the push woke it.
    @Test func aPushWakesAWaitingNodeAtOnce() async throws {
        let signal = FeedSignal()
        let seen = await signal.current
        let waiting = Task { await signal.wait(past: seen, timeout: .seconds(3_600)) }
        try await Task.sleep(for: .milliseconds(20))
        await signal.bump()
        await waiting.value
        // A wait that starts after the move returns at once; a cancelled one returns too.
        await signal.wait(past: seen, timeout: .seconds(3_600))
        let cancelled = Task { await signal.wait(past: await signal.current, timeout: .seconds(3_600)) }
        cancelled.cancel()
        await cancelled.value
    }
}
