import CSQLiteSession

/// One SQLite connection through the C API, as a hand-written C program would use it.
///
/// Not `Sendable`: one connection, used on one thread, closed when released.
final class RawConnection {
    let handle: OpaquePointer

    init(path: String, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let code = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw BenchFailure("cannot open \(path): \(message)")
        }
        handle = db
    }

    deinit { sqlite3_close_v2(handle) }

    /// The baseline's settings: WAL and synchronous=NORMAL, the same as a Hearth replica.
    func useBaselineSettings() throws {
        guard try text("PRAGMA journal_mode = WAL") == "wal" else { throw BenchFailure("SQLite refused WAL mode") }
        try execute("PRAGMA synchronous = NORMAL")
    }

    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &error)
        guard code == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "code \(code)"
            sqlite3_free(error)
            throw BenchFailure("SQLite failed on \(sql.prefix(40))…: \(message)")
        }
    }

    /// The first column of the first row as text.
    func text(_ sql: String) throws -> String? {
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) else { return nil }
        return String(cString: text)
    }

    func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw BenchFailure("cannot prepare \(sql.prefix(40))…: \(String(cString: sqlite3_errmsg(handle)))")
        }
        return statement
    }

    var lastError: String { String(cString: sqlite3_errmsg(handle)) }
}
