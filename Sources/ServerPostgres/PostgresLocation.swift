import Foundation
import Logging
import NIOSSL
public import PostgresNIO

/// Where a PostgreSQL server database is: a `postgres://USER[:PASSWORD]@HOST[:PORT]/DB` URL.
///
/// `?sslmode=disable` talks plain TCP (a server on the same machine or a private network),
/// `require` insists on TLS, and the default `prefer` uses TLS when the server offers it.
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public var configuration: PostgresClient.Configuration
    /// The same place for one connection: `connect()` uses it to say at once why a server cannot
    /// be used (the pool only retries until it gives up, without the reason).
    private let single: @Sendable () throws -> PostgresConnection.Configuration
    /// The URL without its password, for messages and logs.
    public var description: String

    /// How long a server's session may sit idle inside a transaction before PostgreSQL ends it.
    public static let idleInTransactionLimitMilliseconds = 60_000

    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(url text: String) throws(PostgresStoreError) {
        guard Self.isPostgresURL(text), let url = URLComponents(string: text), let host = url.host, !host.isEmpty
        else {
            throw PostgresStoreError(
                "the database URL is not a PostgreSQL URL; write postgres://USER@HOST:PORT/DATABASE")
        }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        guard let user = url.user, !user.isEmpty, !database.isEmpty else {
            throw PostgresStoreError(
                "the database URL names no user or no database; write postgres://USER@HOST:PORT/DATABASE")
        }
        let mode = url.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        let singleTLS: @Sendable () throws -> PostgresConnection.Configuration.TLS
        switch mode {
        case "disable":
            tls = .disable
            singleTLS = { .disable }
        case "prefer", "allow":
            tls = .prefer(.makeClientConfiguration())
            singleTLS = { .prefer(try NIOSSLContext(configuration: .makeClientConfiguration())) }
        case "require", "verify-ca", "verify-full":
            tls = .require(.makeClientConfiguration())
            singleTLS = { .require(try NIOSSLContext(configuration: .makeClientConfiguration())) }
        default:
            throw PostgresStoreError("sslmode must be disable, prefer or require (the URL says \(mode))")
        }
        let port = url.port ?? 5432
        let password = url.password
        single = {
            PostgresConnection.Configuration(
                host: host, port: port, username: user, password: password, database: database, tls: try singleTLS())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = 16
        configuration.options.connectTimeout = .seconds(10)
        // A transaction never waits for a client here: one idle inside a transaction for a
        // minute belongs to a server that is stuck, and may hold the feed's lock, which every
        // server's pushes need. PostgreSQL ends such a session, rolling it back and freeing the
        // lock; the stuck request fails as unavailable (503) and its node syncs again.
        configuration.options.additionalStartupParameters = [
            ("idle_in_transaction_session_timeout", String(Self.idleInTransactionLimitMilliseconds))
        ]
        self.configuration = configuration
        description = "postgres://\(user)@\(host):\(url.port ?? 5432)/\(database)"
    }
}

extension PostgresLocation {
    /// One connection of its own; throws what PostgreSQL or the network said when it cannot.
    func connect(logger: Logger) async throws -> PostgresConnection {
        try await PostgresConnection.connect(configuration: try single(), id: 0, logger: logger)
    }
}

/// A PostgreSQL store's own refusal: what is wrong and what to do, with no client data in it.
public struct PostgresStoreError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(_ message: String) {
        self.message = message
    }
}
