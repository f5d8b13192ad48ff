public import Foundation
import PostgresNIO
public import Replica
public import ServerPostgres
public import Testing

/// A fresh PostgreSQL database per test, on the cluster `HEARTH_TEST_POSTGRES_URL` names.
///
/// `.ci/run` starts a throwaway cluster and sets the variable, so these tests always run in CI.
/// Without it they are skipped, saying how to run them (`skipReason`); with `CI` set and no
/// cluster, `PostgresAvailabilityTests` fails instead, so CI never skips them quietly.
public struct PostgresTestDatabase: Sendable {
    public static let environmentKey = "HEARTH_TEST_POSTGRES_URL"
    public static let baseURL = ProcessInfo.processInfo.environment[environmentKey].flatMap { $0.isEmpty ? nil : $0 }
    public static var isAvailable: Bool { baseURL != nil }
    public static let skipReason: Comment = """
        PostgreSQL tests are skipped: no HEARTH_TEST_POSTGRES_URL. Run them with \
        `source .ci/postgres.sh start && swift test` (it starts a throwaway cluster on loopback).
        """

    /// The new database's URL.
    public let url: String
    public let name: String

    /// Creates an empty database with a random name.
    public static func make() async throws -> PostgresTestDatabase {
        guard let baseURL else { throw PostgresStoreError(String(describing: skipReason)) }
        let name = "hearth_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await admin("CREATE DATABASE \(name)")
        var components = URLComponents(string: baseURL)!
        components.path = "/" + name
        components.queryItems = [URLQueryItem(name: "sslmode", value: "disable")]
        return PostgresTestDatabase(url: components.string!, name: name)
    }

    public var location: PostgresLocation { try! PostgresLocation(url: url) }

    /// A store on this database (each call its own connections, as another server would have).
    public func open(wallClock: @escaping @Sendable () -> Int64 = Replica.systemWallClock) async throws
        -> PostgresServerStore
    {
        try await PostgresServerStore.open(location, wallClock: wallClock)
    }

    /// Drops the database (every store on it must be closed first).
    public func drop() async {
        try? await Self.admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs one statement on the cluster's maintenance database.
    public static func admin(_ sql: String) async throws {
        var components = URLComponents(string: baseURL!)!
        components.path = "/postgres"
        components.queryItems = [URLQueryItem(name: "sslmode", value: "disable")]
        let client = PostgresClient(configuration: try PostgresLocation(url: components.string!).configuration)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        try await client.query(PostgresQuery(unsafeSQL: sql))
    }

    /// Runs `body` with a fresh database, dropping it afterwards.
    public static func with<T>(_ body: (PostgresTestDatabase) async throws -> T) async throws -> T {
        let database = try await make()
        do {
            let value = try await body(database)
            await database.drop()
            return value
        } catch {
            await database.drop()
            throw error
        }
    }
}
