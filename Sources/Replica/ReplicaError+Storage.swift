import GRDB

extension ReplicaError {
    /// What a SQLite failure means for the person at the keyboard, and what to do about it.
    ///
    /// Waiting for a lock is not damage, and a full disk is not damage either: each gets its own
    /// code and a message that says what to do. Only SQLite's own "corrupt" and "not a database"
    /// answers say the file may be damaged. Never quotes bound values (GRDB keeps them out).
    static func storage(_ error: DatabaseError, path: String?) -> ReplicaError {
        let place = path.map { "the replica at \($0)" } ?? "the replica"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return ReplicaError(
                .busy, "\(place) is busy (another hearth process holds it); try again in a moment", cause: error)
        case .SQLITE_FULL:
            return diskFull(place)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return ReplicaError(
                .storage,
                "cannot read \(place): it is not a Hearth database or is damaged; restore it from a backup "
                    + "or run `hearth check`", cause: error)
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return ReplicaError(
                .storage, "\(place) cannot be written; check the permissions of the file and its folder",
                cause: error)
        case .SQLITE_CANTOPEN:
            return ReplicaError(
                .storage, "cannot open \(place); check that the file and its folder exist and can be read",
                cause: error)
        default:
            return ReplicaError(
                .storage, "the replica database failed (\(error.resultCode)); run `hearth check` to test the file",
                cause: error)
        }
    }

    /// The disk holding the replica is full; nothing of the failed operation was kept.
    static func diskFull(_ place: String, cause: (any Error)? = nil) -> ReplicaError {
        ReplicaError(
            .diskFull,
            "disk full: \(place) could not be written; free some space on that disk and try again "
                + "(nothing was changed)", cause: cause)
    }
}
