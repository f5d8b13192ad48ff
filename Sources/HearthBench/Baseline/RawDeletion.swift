import CSQLiteSession

/// B10's baseline: the same member rows in a plain SQLite table, then the same rows deleted,
/// then `VACUUM`; the file's footprint at each point.
///
/// A deleted row leaves nothing behind in raw SQLite, so this is the least any store can keep:
/// the figures B10 divides by.
enum RawDeletion {
    struct Outcome {
        /// Every row inserted.
        var full: FileFootprint
        /// After deleting `ids`: freed pages stay in the file.
        var deleted: FileFootprint
        /// After `VACUUM`: the file holds only the remaining rows.
        var vacuumed: FileFootprint
    }

    static func run(_ workspace: BenchWorkspace, rows: [MemberRow], deleting ids: [String]) throws -> Outcome {
        let path = workspace.databasePath("b10-raw")
        defer { workspace.remove(path) }
        // Closing its connection checkpoints the log into the file, so the file is complete here.
        _ = try RawInsert.run(path: path, arena: RowArena(rows), session: false)
        let full = try FileFootprint.of(path)
        try delete(ids, in: path)
        let left = try RawInsert.count("member", in: path)
        guard left == rows.count - ids.count else {
            throw BenchFailure(
                "B10: raw SQLite holds \(left) rows after the deletes, expected \(rows.count - ids.count)")
        }
        let deleted = try FileFootprint.of(path)
        try FileFootprint.vacuum(path)
        return Outcome(full: full, deleted: deleted, vacuumed: try FileFootprint.of(path))
    }

    /// Deletes the rows with these ids in one transaction, then empties the log into the file.
    private static func delete(_ ids: [String], in path: String) throws {
        let connection = try RawConnection(path: path)
        // Declared first, so it runs last: the statement is finalized before the connection closes.
        defer { withExtendedLifetime(connection) {} }
        try connection.useBaselineSettings()
        let statement = try connection.prepare("DELETE FROM member WHERE id = ?")
        defer { sqlite3_finalize(statement) }
        try connection.execute("BEGIN")
        for id in ids {
            let code = id.withCString { text in
                sqlite3_bind_text(statement, 1, text, -1, nil)
                defer { sqlite3_reset(statement) }
                return sqlite3_step(statement)
            }
            guard code == SQLITE_DONE else { throw BenchFailure("delete failed: \(connection.lastError)") }
        }
        try connection.execute("COMMIT")
        try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }
}
