import Foundation
import HearthTestSupport
import Logging
import PostgresNIO
import PostgresTestSupport
import Replica
import ServerPostgres
import SyncClient
import SyncCore
import SyncServer
import Synchronization
import Testing

/// Several servers over one PostgreSQL database: any of them serves any node, and the feed
/// never skips an entry however their transactions interleave (docs/POSTGRES.md).
@Suite(
    "Two servers over one PostgreSQL", .enabled(if: PostgresTestDatabase.isAvailable, PostgresTestDatabase.skipReason))
struct TwoServersTests {
    @Test func nodesSyncingAgainstAlternatingServersConverge() async throws {
        try await PostgresTestDatabase.with { database in
            let servers = [
                try await EmbeddedServer.start(store: try await database.open()),
                try await EmbeddedServer.start(store: try await database.open()),
            ]
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "hearth-two-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            var nodes: [NodeUnderTest] = []
            for (index, name) in ["沙头服务中心", "体育公园服务中心", "工业园服务中心"].enumerated() {
                // Registered on either server: they share the registry.
                nodes.append(try await NodeUnderTest.register(name, on: servers[index % 2].backend, in: folder))
            }
            var reports: [SyncReport] = []
            for round in 0..<4 {
                for (index, node) in nodes.enumerated() {
                    let ids = try node.addMembers(["会员\(round)-\(index)-甲", "会员\(round)-\(index)-乙"]).map(\.id)
                    // An edit of another center's member, on every round after the first.
                    if round > 0,
                        let other = try nodes[(index + 1) % 3].replica.read({ try $0.list(HearthSchema.member) }).first
                    {
                        _ = try? node.replica.write { transaction in
                            try transaction.update(HearthSchema.member, id: other.id, ["notes": .text("第\(round)轮")])
                        }
                    }
                    #expect(ids.count == 2)
                    let server = servers[(round + index) % 2]
                    reports.append(
                        try await SyncEngine(
                            replica: node.replica,
                            transport: HTTPSyncTransport(baseURL: server.baseURL, token: node.token)
                        ).sync())
                }
            }
            // A last round, through the other server each time, brings everyone level.
            for (index, node) in nodes.enumerated() {
                let server = servers[(index + 1) % 2]
                reports.append(
                    try await SyncEngine(
                        replica: node.replica, transport: HTTPSyncTransport(baseURL: server.baseURL, token: node.token)
                    ).sync())
            }
            for node in nodes {
                _ = try await SyncEngine(
                    replica: node.replica, transport: HTTPSyncTransport(baseURL: servers[0].baseURL, token: node.token)
                ).sync()
            }
            let digests = try nodes.map { node in try node.replica.read { try $0.digest() } }
            #expect(Set(digests).count == 1)
            #expect(try nodes[0].replica.read { try $0.list(HearthSchema.member) }.count == 24)
            #expect(reports.allSatisfy { $0.refused == 0 })
            #expect(reports.suffix(3).allSatisfy { $0.digestMatches == true })
            for node in nodes { try node.replica.close() }
            for server in servers { try await server.stop() }
        }
    }

    /// Pushes from many nodes through two stores at once, each transaction slowed at random
    /// between taking its feed positions and committing, while a reader pulls through both
    /// stores from its cursor only. A skipped entry would never reach the reader. The seed picks
    /// the edits; the interleaving is PostgreSQL's own and differs from run to run.
    @Test func concurrentPushesThroughTwoServersNeverSkipAFeedEntry() async throws {
        let seed = TestSeeds.cases(1)[0]
        var random = SeededGenerator(seed: seed)
        print("[two-servers] seed \(seed)")
        try await PostgresTestDatabase.with { database in
            let stores = [try await database.open(), try await database.open()]
            try await Self.slowEveryRecordWrite(database)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "hearth-skip-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            var writers: [NodeUnderTest] = []
            for index in 0..<6 {
                writers.append(try await NodeUnderTest.register("写入\(index)", on: stores[0], in: folder))
            }
            let reader = try await NodeUnderTest.register("读者", on: stores[1], in: folder)
            // Each writer's pages, made up front: 25 pages of 4 new members, and an edit of an
            // earlier one in every page after the first (moving its entry to the feed's end).
            var pages: [[[RecordState]]] = []
            for writer in writers {
                var own: [[RecordState]] = []
                var earlier: [RecordState] = []
                for page in 0..<25 {
                    var states = try writer.addMembers((0..<4).map { "成员\(writer.node.name)-\(page)-\($0)" })
                    if let target = earlier.randomElement(using: &random) {
                        states.append(
                            try writer.replica.write { transaction in
                                try transaction.update(HearthSchema.member, id: target.id, ["notes": .text("改\(page)")])
                            })
                    }
                    earlier += states
                    own.append(states)
                }
                pages.append(own)
            }
            let expected = Set(pages.joined().joined().map(\.id))
            let finished = Finished()
            let seen = try await withThrowingTaskGroup(of: Set<String>.self) { group in
                for (index, writer) in writers.enumerated() {
                    let node = writer.node
                    let own = pages[index]
                    group.addTask {
                        for (number, page) in own.enumerated() {
                            _ = try await stores[(index + number) % 2].pushTrusted(page, from: node)
                        }
                        finished.add()
                        return []
                    }
                }
                group.addTask {
                    // Pull from the cursor only, alternating servers, never going back.
                    var cursor: Int64 = 0
                    var ids: Set<String> = []
                    var turn = 0
                    while true {
                        let done = finished.count == 6
                        while true {
                            turn += 1
                            let page = try await stores[turn % 2].feedPage(after: cursor, for: reader.node, limit: 7)
                            ids.formUnion(page.states.map(\.id))
                            cursor = page.nextCursor
                            if !page.hasMore { break }
                        }
                        if done { return ids }
                        try await Task.sleep(for: .milliseconds(1))
                    }
                }
                var seen: Set<String> = []
                for try await ids in group { seen.formUnion(ids) }
                return seen
            }
            let skipped = expected.subtracting(seen)
            #expect(
                skipped.isEmpty,
                "the reader never saw \(skipped.count) of \(expected.count) records; \(TestSeeds.comment(seed))")
            let feed = try await stores[0].wholeFeed(for: nil)
            #expect(Set(feed.states.map(\.id)) == expected)
            #expect(feed.states.count == expected.count, "one feed entry per record")
            for store in stores { try await store.close() }
        }
    }

    /// The same reader against a feed numbered by a plain sequence, with no lock around its
    /// appends: two transactions interleaved by hand skip an entry, and the reader misses it.
    /// It shows the check above can fail, and why the store locks its feed.
    @Test func aFeedNumberedWithoutTheLockSkipsAnEntry() async throws {
        try await PostgresTestDatabase.with { database in
            let first = PostgresClient(configuration: database.location.configuration)
            let second = PostgresClient(configuration: database.location.configuration)
            let runners = [Task { await first.run() }, Task { await second.run() }]
            defer { for runner in runners { runner.cancel() } }
            try await first.query("CREATE TABLE naive_feed (seq bigserial PRIMARY KEY, record text NOT NULL)")
            let skipped = try await first.withConnection { slow in
                try await second.withConnection { fast in
                    let logger = Logger(label: "naive")
                    try await slow.query("BEGIN", logger: logger)
                    try await slow.query("INSERT INTO naive_feed (record) VALUES ('slow')", logger: logger)
                    try await fast.query("INSERT INTO naive_feed (record) VALUES ('fast')", logger: logger)
                    // A reader now sees position 2 only, and moves its cursor to 2.
                    let cursor = try await Self.naiveLatest(fast, logger)
                    try await slow.query("COMMIT", logger: logger)
                    let after = try await fast.query(
                        "SELECT record FROM naive_feed WHERE seq > \(cursor)", logger: logger
                    ).collect()
                    return after.isEmpty
                }
            }
            #expect(skipped, "the slow transaction's entry sits below a cursor that already passed it")
        }
    }

    private static func naiveLatest(_ connection: PostgresConnection, _ logger: Logger) async throws -> Int64 {
        for try await seq in try await connection.query("SELECT max(seq) FROM naive_feed", logger: logger).decode(
            Int64.self)
        {
            return seq
        }
        return 0
    }

    /// Makes every write of a record sleep up to 3 ms, inside its transaction: the window between
    /// taking feed positions and committing widens, as under real load.
    private static func slowEveryRecordWrite(_ database: PostgresTestDatabase) async throws {
        let client = PostgresClient(configuration: database.location.configuration)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        try await client.query(
            """
            CREATE FUNCTION hearth_test_slow() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_sleep(random() * 0.003); RETURN NEW; END $$
            """)
        try await client.query(
            "CREATE TRIGGER hearth_test_slow BEFORE INSERT OR UPDATE ON record FOR EACH STATEMENT EXECUTE FUNCTION hearth_test_slow()"
        )
    }
}

/// How many writer tasks have finished.
private final class Finished: Sendable {
    private let value = Mutex(0)
    var count: Int { value.withLock { $0 } }
    func add() { value.withLock { $0 += 1 } }
}
