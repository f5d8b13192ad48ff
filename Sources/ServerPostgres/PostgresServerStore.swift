import Foundation
public import Logging
import PostgresNIO
public import Replica
public import SyncCore
public import SyncServer

/// The central office on PostgreSQL: any number of `hearth-server` processes over one database.
///
/// It only loads and saves. The protocol's rules live above it, shared with the SQLite store:
/// `PushedPageMerge` merges pushed pages, `WriterStability` advances the stable vector,
/// `TombstoneCollection` decides what is collected, `SyncService` does the rest.
///
/// Concurrency (docs/POSTGRES.md has the whole argument): every transaction that changes records
/// or the feed first locks the single row of `feed_head` (`lockFeed`), which also hands out feed
/// positions. So those transactions run one at a time across all servers, each loads what it
/// merges after the previous one committed (no lost update), and feed positions become visible
/// in the order they were given (no skipped sequence: a pull that saw position N has seen
/// everything before N). Pulls read one `REPEATABLE READ` snapshot and never wait for the lock.
public final class PostgresServerStore: ServerStore {
    let client: PostgresClient
    let logger: Logger
    let catalog: RecordCatalog
    let wallClock: @Sendable () -> Int64
    private let runner: Task<Void, Never>
    /// This server database's own node id (never a registered node's).
    public let serverID: NodeID

    public var catalogVersion: Int { catalog.version }
    /// The central office signs no change files.
    public var serverSigningKey: String? { nil }

    /// Connects to the database at `location`, creating Hearth's tables or upgrading them.
    ///
    /// Refuses a database written by a newer Hearth, and one that holds tables Hearth did not
    /// make; gives the database a new epoch when it was restored or copied (`PostgresIdentity`).
    public static func open(
        _ location: PostgresLocation, catalog: RecordCatalog = .hearth,
        wallClock: @escaping @Sendable () -> Int64 = Replica.systemWallClock,
        logger: Logger = Logger(label: "hearth-server.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> PostgresServerStore {
        // The schema is prepared on a connection of its own, before the pool exists: a database
        // that cannot be used is explained at once, not after the pool's retries.
        let serverID: NodeID
        do {
            let connection = try await location.connect(logger: logger)
            do {
                serverID = try await PostgresSchema.prepare(connection, logger: logger)
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            throw Self.explained(error, location: location)
        }
        let client = PostgresClient(configuration: location.configuration, backgroundLogger: logger)
        let runner = Task { await client.run() }
        return PostgresServerStore(
            client: client, runner: runner, logger: logger, catalog: catalog, wallClock: wallClock, serverID: serverID)
    }

    private init(
        client: PostgresClient, runner: Task<Void, Never>, logger: Logger, catalog: RecordCatalog,
        wallClock: @escaping @Sendable () -> Int64, serverID: NodeID
    ) {
        self.client = client
        self.runner = runner
        self.logger = logger
        self.catalog = catalog
        self.wallClock = wallClock
        self.serverID = serverID
    }

    public func finishWork() async {}

    public func close() async throws {
        runner.cancel()
        await runner.value
    }

    // MARK: Transactions

    /// Runs `body` in one transaction, retried (up to 5 times) when PostgreSQL aborts it for a
    /// deadlock or a serialization failure: nothing of an aborted attempt was kept.
    func transaction<T: Sendable>(
        readOnlySnapshot: Bool = false, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await reachingDatabase {
            try await retryingTransientFailures(readOnlySnapshot: readOnlySnapshot, body)
        }
    }

    /// Runs `body`, turning a lost or refused connection into `ServerStoreUnavailable` (503):
    /// the request may be repeated; SQL errors and Hearth's own refusals pass through.
    func reachingDatabase<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError where Self.isUnavailable(error) {
            throw ServerStoreUnavailable()
        } catch let error
            where !(error is PSQLError) && !(error is ReplicaError) && !(error is PostgresStoreError)
            && !(error is CancellationError) && !(error is PostgresDecodingError)
        {
            // The connection pool's own errors (it could not connect) are not PSQLErrors.
            throw ServerStoreUnavailable()
        }
    }

    /// A connection that failed or went away, or a server shutting down or not accepting yet.
    static func isUnavailable(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return true }
        return state.hasPrefix("08") || state == "57P01" || state == "57P02" || state == "57P03" || state == "53300"
    }

    private func retryingTransientFailures<T: Sendable>(
        readOnlySnapshot: Bool, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in
                    try await connection.query(
                        readOnlySnapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN", logger: logger)
                    do {
                        let value = try await body(connection)
                        try await connection.query("COMMIT", logger: logger)
                        return value
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                        throw error
                    }
                }
            } catch let error as PSQLError where attempt < 5 && Self.isTransient(error) {
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(10 * attempt))))
            }
        }
    }

    static func isTransient(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        // serialization_failure, deadlock_detected
        return state == "40001" || state == "40P01"
    }

    /// Locks the feed for this transaction (see the type's comment) and returns its latest position.
    func lockFeed(_ connection: PostgresConnection) async throws -> Int64 {
        try await connection.one("SELECT position FROM feed_head FOR UPDATE", logger, as: Int64.self)
    }

    /// A PostgreSQL failure explained: what went wrong and what to do, without the client's data.
    static func explained(_ error: any Error, location: PostgresLocation) -> any Error {
        if error is PostgresStoreError || error is ReplicaError { return error }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return PostgresStoreError("PostgreSQL at \(location) refused: \(message)")
            }
            return PostgresStoreError(
                "cannot reach PostgreSQL at \(location) (\(error.code)); check that it runs and that the URL's host "
                    + "and port are right")
        }
        // The connection pool gives up on a server it cannot reach or log in to, without the reason.
        return PostgresStoreError(
            "cannot connect to PostgreSQL at \(location): check that it runs, that the user may log in there, and "
                + "that the database exists (create it with `createdb`)")
    }
}

extension PostgresConnection {
    /// Every row of `query`.
    func rows(_ query: PostgresQuery, _ logger: Logger) async throws -> [PostgresRow] {
        var rows: [PostgresRow] = []
        for try await row in try await self.query(query, logger: logger) { rows.append(row) }
        return rows
    }

    /// The single value of a query that returns one row.
    func one<T: PostgresDecodable>(_ query: PostgresQuery, _ logger: Logger, as type: T.Type) async throws -> T {
        guard let row = try await rows(query, logger).first else {
            throw PostgresStoreError("a query that returns one row returned none")
        }
        return try row.decode(T.self)
    }

    /// Runs a statement, ignoring any rows.
    func run(_ query: PostgresQuery, _ logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}
