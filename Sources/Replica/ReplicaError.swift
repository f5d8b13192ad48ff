import SyncCore

/// Why a replica operation was refused or failed. Messages say what happened and what to do,
/// and never quote personal data (names, phones) unless the caller put it there on purpose.
public struct ReplicaError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case notFound, invalidInput, alreadyExists, schemaTooNew, notInitialized, storage, refused, busy, diskFull
        }
        private let base: Base
        /// The record, replica or conflict does not exist.
        public static var notFound: Self { .init(base: .notFound) }
        /// Input breaks a declaration or a rule (bad phone, end before start, past capacity…).
        public static var invalidInput: Self { .init(base: .invalidInput) }
        /// The thing to create is already there (a replica file, a registration).
        public static var alreadyExists: Self { .init(base: .alreadyExists) }
        /// The file was written by a newer Hearth; it was left untouched.
        public static var schemaTooNew: Self { .init(base: .schemaTooNew) }
        /// No replica at the path: run `hearth init`.
        public static var notInitialized: Self { .init(base: .notInitialized) }
        /// SQLite failed (corrupt file, permissions, I/O error…).
        public static var storage: Self { .init(base: .storage) }
        /// Another process held the replica longer than the busy timeout; trying again will do.
        public static var busy: Self { .init(base: .busy) }
        /// The disk is full: free space, then try again. Nothing was changed.
        public static var diskFull: Self { .init(base: .diskFull) }
        /// The operation is valid in form but not allowed now.
        public static var refused: Self { .init(base: .refused) }
        public var description: String { base.rawValue }
    }

    public var code: Code
    public var message: String
    /// The underlying error, if any (a GRDB `DatabaseError` never prints bound values).
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }

    static func invalid(_ error: RecordValidationError) -> ReplicaError {
        ReplicaError(.invalidInput, error.message)
    }
}
