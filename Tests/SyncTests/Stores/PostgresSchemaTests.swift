import Foundation
import Logging
import PostgresNIO
import PostgresTestSupport
import ServerPostgres
import SyncCore
import SyncServer
import Testing

/// What a PostgreSQL database must be before a server uses it: Hearth's schema, at a version
/// this build knows, and told apart from a copy of itself.
@Suite(
    "PostgreSQL schema and identity", .enabled(if: PostgresTestDatabase.isAvailable, PostgresTestDatabase.skipReason))
struct PostgresSchemaTests {
    @Test func serversStartingTogetherMigrateOnceAndShareOneEpoch() async throws {
        try await PostgresTestDatabase.with { database in
            let stores = try await withThrowingTaskGroup(of: PostgresServerStore.self) { group in
                for _ in 0..<4 { group.addTask { try await database.open() } }
                var stores: [PostgresServerStore] = []
                for try await store in group { stores.append(store) }
                return stores
            }
            var epochs: Set<String> = []
            for store in stores { epochs.insert(try await store.epoch()) }
            #expect(epochs.count == 1)
            for store in stores { try await store.close() }
            // Opening again keeps the epoch: the same database, not a copy.
            let again = try await database.open()
            #expect(try await again.epoch() == epochs.first)
            try await again.close()
        }
    }

    @Test func aDatabaseWrittenByANewerHearthIsRefusedAndUntouched() async throws {
        try await PostgresTestDatabase.with { database in
            try await database.open().close()
            try await Self.run("UPDATE hearth_schema SET version = 99", on: database)
            let error = await #expect(throws: PostgresStoreError.self) { try await database.open() }
            #expect(error?.message.contains("newer Hearth") == true)
            #expect(error?.message.contains("schema 99") == true)
            try await Self.run("UPDATE hearth_schema SET version = 2", on: database)
            try await database.open().close()
        }
    }

    /// A database of the first release (schema 1) is upgraded at start, keeping what it holds.
    @Test func aFirstReleaseDatabaseIsUpgradedInPlace() async throws {
        try await PostgresTestDatabase.with { database in
            let first = try await database.open()
            let hub = try await first.addNode(name: "沙头服务中心", canForward: true, id: nil, hub: nil).node
            try await first.close()
            for statement in [
                "ALTER TABLE registered_node DROP COLUMN vouched_cursor", "DROP TABLE node_key",
                "UPDATE hearth_schema SET version = 1",
            ] {
                try await Self.run(statement, on: database)
            }
            let upgraded = try await database.open()
            #expect(try await upgraded.nodes().map(\.id) == [hub.id])
            let token = NodeToken.generate()
            let laptop = HubLaptop(
                id: .random(), name: "笔记本", tokenID: token.tokenID, tokenHash: token.secretHash, writers: [],
                signingKeys: [], revoked: false, vouchedCursor: 0)
            #expect(try await upgraded.registerLaptops([laptop], of: hub).isEmpty)
            try await upgraded.close()
        }
    }

    @Test func aDatabaseWithOtherTablesOfTheSameNamesIsRefused() async throws {
        try await PostgresTestDatabase.with { database in
            try await Self.run("CREATE TABLE record (anything text)", on: database)
            let error = await #expect(throws: PostgresStoreError.self) { try await database.open() }
            #expect(error?.message.contains("empty database") == true)
        }
    }

    @Test func aCopyOfTheDatabaseGetsANewEpochAndKeepsItsRecords() async throws {
        try await PostgresTestDatabase.with { database in
            let store = try await database.open()
            let (node, _) = try await store.addNode(name: "沙头服务中心", canForward: false, id: nil, hub: nil)
            let epoch = try await store.epoch()
            try await store.close()
            // What pg_dump and pg_restore into another database, or a copied cluster, give.
            let copyName = database.name + "_copy"
            try await PostgresTestDatabase.admin("CREATE DATABASE \(copyName) TEMPLATE \(database.name)")
            let copyURL = database.url.replacingOccurrences(of: "/\(database.name)?", with: "/\(copyName)?")
            do {
                let copy = try await PostgresServerStore.open(try PostgresLocation(url: copyURL))
                #expect(try await copy.epoch() != epoch, "a restored copy must look new to its nodes")
                #expect(try await copy.nodes().map(\.id) == [node.id])
                try await copy.close()
                let original = try await database.open()
                #expect(try await original.epoch() == epoch)
                try await original.close()
            } catch {
                try? await PostgresTestDatabase.admin("DROP DATABASE IF EXISTS \(copyName) WITH (FORCE)")
                throw error
            }
            try await PostgresTestDatabase.admin("DROP DATABASE IF EXISTS \(copyName) WITH (FORCE)")
        }
    }

    @Test(arguments: [
        "mysql://u@h/db", "postgres://h:5432/db", "postgres://u@h:5432/", "postgres://u@h/db?sslmode=maybe",
    ])
    func aURLThatIsNotAPostgreSQLDatabaseIsRefusedWithWhatToWrite(url: String) {
        #expect(throws: PostgresStoreError.self) { try PostgresLocation(url: url) }
    }

    @Test func theURLShownInMessagesHasNoPassword() throws {
        let location = try PostgresLocation(url: "postgres://hearth:s3cret@127.0.0.1:5433/office")
        #expect(location.description == "postgres://hearth@127.0.0.1:5433/office")
    }

    /// A server's sessions end when idle inside a transaction for a minute: a server stuck in
    /// one must not keep the feed's lock from every other server. Shown with a limit of one
    /// second on a connection of its own: the lock it took is free again soon after.
    @Test func aTransactionLeftIdleIsEndedByPostgreSQLAndItsLockFreed() async throws {
        try await PostgresTestDatabase.with { database in
            try await database.open().close()
            let served = try await Self.value("SHOW idle_in_transaction_session_timeout", on: database.location)
            #expect(served == "1min")

            let pool = database.location.configuration
            var quick = PostgresConnection.Configuration(
                host: pool.host ?? "127.0.0.1", port: pool.port ?? 5432, username: pool.username,
                password: pool.password, database: pool.database, tls: .disable)
            quick.options.additionalStartupParameters = [("idle_in_transaction_session_timeout", "1000")]
            let stuck = try await PostgresConnection.connect(configuration: quick, id: 1, logger: Self.logger)
            do {
                for sql in ["BEGIN", "SELECT position FROM feed_head FOR UPDATE"] {
                    for try await _ in try await stuck.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger) {}
                }
                await #expect(throws: (any Error).self, "the lock is held") {
                    _ = try await Self.value(
                        "SELECT position::text FROM feed_head FOR UPDATE NOWAIT", on: database.location)
                }
                try await Task.sleep(for: .seconds(3))
                let position = try await Self.value(
                    "SELECT position::text FROM feed_head FOR UPDATE NOWAIT", on: database.location)
                #expect(position == "0", "the idle transaction's lock is free")
            } catch {
                Issue.record("\(String(reflecting: error))")
            }
            try? await stuck.close()
        }
    }

    static let logger = Logger(label: "hearth-tests.postgres")

    /// The one text value `sql` returns, through a pool configured as `location` says.
    private static func value(_ sql: String, on location: PostgresLocation) async throws -> String? {
        try await rows(sql, on: location).first?.decode(String.self)
    }

    private static func run(_ sql: String, on database: PostgresTestDatabase) async throws {
        _ = try await rows(sql, on: database.location)
    }

    /// Every row `sql` returns, through a pool of its own configured as `location` says.
    private static func rows(_ sql: String, on location: PostgresLocation) async throws -> [PostgresRow] {
        let client = PostgresClient(configuration: location.configuration)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        var rows: [PostgresRow] = []
        for try await row in try await client.query(PostgresQuery(unsafeSQL: sql)) { rows.append(row) }
        return rows
    }
}
