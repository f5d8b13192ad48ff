import Foundation
import PostgresNIO
import ServerPostgres

/// The PostgreSQL cluster the `-pg` scenarios run on, reached through the URL given with
/// `--postgres` (else `$HEARTH_BENCH_POSTGRES_URL`); each scenario gets a fresh database on it.
///
/// The URL's own database is only the maintenance connection: databases are created and dropped
/// from it, so its user needs `CREATEDB`. Nothing is written into the database it names.
struct PostgresCluster: Sendable {
    static let environmentKey = "HEARTH_BENCH_POSTGRES_URL"
    /// Printed when the `-pg` scenarios are skipped.
    static let howToEnable =
        "no PostgreSQL; give --postgres postgres://USER@HOST:PORT/DB?sslmode=disable or set \(environmentKey) "
        + "(`source .ci/postgres.sh start` starts a throwaway cluster)"

    let url: String
    let location: PostgresLocation

    /// The cluster named by `option`, else by the environment; nil when neither names one.
    static func named(_ option: String?) throws -> PostgresCluster? {
        let given = option ?? ProcessInfo.processInfo.environment[environmentKey].flatMap { $0.isEmpty ? nil : $0 }
        guard let given else { return nil }
        return PostgresCluster(url: given, location: try PostgresLocation(url: given))
    }

    /// The server's version and the settings that decide what a commit costs, for the report.
    func describe() async throws -> String {
        try await Self.withClient(location) { client in
            var values: [String] = []
            for setting in ["server_version", "fsync", "synchronous_commit", "shared_buffers"] {
                let rows = try await client.query(PostgresQuery(unsafeSQL: "SHOW \(setting)"))
                for try await value in rows.decode(String.self) { values.append(value) }
            }
            guard values.count == 4 else { throw BenchFailure("PostgreSQL did not answer SHOW") }
            return "PostgreSQL \(values[0]) (fsync \(values[1]), synchronous_commit \(values[2]), "
                + "shared_buffers \(values[3]))"
        }
    }

    /// Runs `body` with a new empty database, dropped afterwards however `body` ends.
    func withFreshDatabase<T>(_ body: (PostgresBenchDatabase) async throws -> T) async throws -> T {
        let name = "hearth_bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        var components = URLComponents(string: url)!
        components.path = "/" + name
        let database = PostgresBenchDatabase(
            name: String(name), url: components.string!, location: try PostgresLocation(url: components.string!))
        try await Self.withClient(location) { client in
            _ = try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        do {
            let value = try await body(database)
            try await drop(database)
            return value
        } catch {
            try? await drop(database)
            throw error
        }
    }

    private func drop(_ database: PostgresBenchDatabase) async throws {
        try await Self.withClient(location) { client in
            _ = try await client.query(
                PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(database.name) WITH (FORCE)"))
        }
    }

    /// A client for the length of `body` (its `run()` in a task of its own, cancelled afterwards).
    ///
    /// A PostgreSQL error comes out as a `BenchFailure` with PostgreSQL's own message (postgres-nio
    /// describes its errors generically, so that queries and values never reach a log), and so
    /// does a connection that cannot be made.
    static func withClient<T>(_ location: PostgresLocation, _ body: (PostgresClient) async throws -> T) async throws
        -> T
    {
        let client = PostgresClient(configuration: location.configuration)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        do {
            return try await body(client)
        } catch let error as PSQLError {
            let reason = error.serverInfo?[.message] ?? "cannot reach it (\(error.code)); is it running?"
            throw BenchFailure("PostgreSQL at \(location): \(reason)")
        } catch let failure as BenchFailure {
            throw failure
        } catch {
            throw BenchFailure("cannot reach PostgreSQL at \(location) (\(error)); is it running, is the URL right?")
        }
    }
}

/// A database of the bench's own on the cluster, empty until a server store opens it.
struct PostgresBenchDatabase: Sendable {
    let name: String
    /// The URL a server store (or `hearth-server --database`) opens.
    let url: String
    let location: PostgresLocation

    /// The live members the server database holds, counted by SQL (a check, not a measurement).
    func memberCount() async throws -> Int {
        try await PostgresCluster.withClient(location) { client in
            let rows = try await client.query(
                "SELECT count(*) FROM record WHERE record_type = 'member' AND NOT deleted")
            for try await count in rows.decode(Int64.self) { return Int(count) }
            return 0
        }
    }
}
