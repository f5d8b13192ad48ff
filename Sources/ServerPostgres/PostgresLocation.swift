import Foundation
public import PostgresNIO

/// Where a PostgreSQL server database is: a `postgres://USER[:PASSWORD]@HOST[:PORT]/DB` URL.
///
/// `?sslmode=disable` talks plain TCP (a server on the same machine or a private network),
/// `require` insists on TLS, and the default `prefer` uses TLS when the server offers it.
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public var configuration: PostgresClient.Configuration
    /// The URL without its password, for messages and logs.
    public var description: String

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
        switch mode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default:
            throw PostgresStoreError("sslmode must be disable, prefer or require (the URL says \(mode))")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: url.port ?? 5432, username: user, password: url.password, database: database, tls: tls)
        configuration.options.maximumConnections = 16
        configuration.options.connectTimeout = .seconds(10)
        self.configuration = configuration
        description = "postgres://\(user)@\(host):\(url.port ?? 5432)/\(database)"
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
