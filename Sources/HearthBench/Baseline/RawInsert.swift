import CSQLiteSession

/// The physical limit: raw SQLite inserting the same member rows from Swift through the C API.
///
/// One prepared statement, WAL, synchronous=NORMAL, one transaction, UUID text keys, 8 text
/// columns, the system libsqlite3. With `session`, SQLite's own session extension records the
/// inserts and produces a changeset inside the timed span (the peer of Hearth's change capture).
enum RawInsert {
    static let createTable = """
        CREATE TABLE member (id TEXT PRIMARY KEY NOT NULL, name TEXT, gender TEXT, phone TEXT, employer TEXT,
        center TEXT, residency TEXT, joinedOn TEXT, skills TEXT)
        """
    static let insert = "INSERT INTO member VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"

    struct Outcome {
        /// From BEGIN to COMMIT, the changeset included when there is one.
        var seconds: Double
        var changeset: [UInt8]?
    }

    /// Inserts every row of `arena` into a new database at `path`.
    static func run(path: String, arena: RowArena, session: Bool) throws -> Outcome {
        let connection = try RawConnection(path: path)
        // Declared first, so it runs last: the session and the statement go before the connection.
        defer { withExtendedLifetime(connection) {} }
        try connection.useBaselineSettings()
        try connection.execute(createTable)
        var recorder: OpaquePointer?
        if session {
            guard sqlite3session_create(connection.handle, "main", &recorder) == SQLITE_OK, let recorder,
                sqlite3session_attach(recorder, "member") == SQLITE_OK
            else { throw BenchFailure("cannot start an SQLite session: \(connection.lastError)") }
        }
        defer { if let recorder { sqlite3session_delete(recorder) } }
        let statement = try connection.prepare(insert)
        defer { sqlite3_finalize(statement) }

        let start = ContinuousClock.now
        try connection.execute("BEGIN")
        for row in 0..<arena.rowCount {
            for column in 0..<RowArena.columnsPerRow {
                let text = arena.text(row: row, column: column)
                sqlite3_bind_text(statement, Int32(column + 1), text.pointer, text.length, nil)
            }
            guard sqlite3_step(statement) == SQLITE_DONE else {
                throw BenchFailure("insert failed: \(connection.lastError)")
            }
            sqlite3_reset(statement)
        }
        var changeset: [UInt8]?
        if let recorder {
            var size: Int32 = 0
            var bytes: UnsafeMutableRawPointer?
            guard sqlite3session_changeset(recorder, &size, &bytes) == SQLITE_OK, let bytes else {
                throw BenchFailure("sqlite3session_changeset failed: \(connection.lastError)")
            }
            changeset = Array(UnsafeRawBufferPointer(start: bytes, count: Int(size)))
            sqlite3_free(bytes)
        }
        try connection.execute("COMMIT")
        return Outcome(seconds: Stopwatch.seconds(start.duration(to: .now)), changeset: changeset)
    }

    /// Applies a changeset to a new database at `path` (same schema and settings); returns the seconds.
    static func apply(_ changeset: [UInt8], path: String) throws -> Double {
        let connection = try RawConnection(path: path)
        try connection.useBaselineSettings()
        try connection.execute(createTable)
        var bytes = changeset
        let start = ContinuousClock.now
        let code = bytes.withUnsafeMutableBytes { buffer in
            sqlite3changeset_apply(
                connection.handle, Int32(buffer.count), buffer.baseAddress, nil,
                { _, _, _ in SQLITE_CHANGESET_OMIT }, nil)
        }
        let seconds = Stopwatch.seconds(start.duration(to: .now))
        guard code == SQLITE_OK else { throw BenchFailure("sqlite3changeset_apply failed: \(connection.lastError)") }
        return seconds
    }

    /// The journal mode a database file is in (a check that replicas really run in WAL).
    static func journalMode(of path: String) throws -> String? {
        try RawConnection(path: path, readOnly: true).text("PRAGMA journal_mode")
    }

    /// How many rows a table holds (read while another process may be writing: WAL allows it).
    static func count(_ table: String, in path: String) throws -> Int {
        Int(try RawConnection(path: path, readOnly: true).text("SELECT count(*) FROM \(table)") ?? "0") ?? 0
    }
}
