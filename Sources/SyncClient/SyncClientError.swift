/// Why a sync did not complete. The replica is consistent either way: running sync again
/// continues where this one stopped.
public struct SyncClientError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unreachable, unauthorized, forbidden, protocolTooOld, protocolTooNew, rejected, server, badResponse
            case insecure, notConfigured, wrongNode, cursorAhead
        }
        private let base: Base
        /// No connection, DNS failure, timeout.
        public static var unreachable: Self { .init(base: .unreachable) }
        /// The token was refused (unknown or revoked).
        public static var unauthorized: Self { .init(base: .unauthorized) }
        /// The server refused the changes (for example a dot of another node).
        public static var forbidden: Self { .init(base: .forbidden) }
        /// This hearth is too old for the server.
        public static var protocolTooOld: Self { .init(base: .protocolTooOld) }
        /// The server is too old for this hearth.
        public static var protocolTooNew: Self { .init(base: .protocolTooNew) }
        /// The server refused a request as malformed (4xx).
        public static var rejected: Self { .init(base: .rejected) }
        /// The server failed (5xx).
        public static var server: Self { .init(base: .server) }
        /// The server's answer could not be understood.
        public static var badResponse: Self { .init(base: .badResponse) }
        /// Refused to send the token over plain HTTP to a public host.
        public static var insecure: Self { .init(base: .insecure) }
        /// No server is configured for this replica.
        public static var notConfigured: Self { .init(base: .notConfigured) }
        /// The server's feed ends before this node's cursor (its database was replaced).
        public static var cursorAhead: Self { .init(base: .cursorAhead) }
        /// The token belongs to a different node than this replica.
        public static var wrongNode: Self { .init(base: .wrongNode) }
        public var description: String { base.rawValue }
    }

    public var code: Code
    public var message: String
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }
}
