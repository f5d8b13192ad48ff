import GRDB
import GRDBSQLite
import SyncCore

/// Binds, steps and reads one of GRDB's cached statements through SQLite's C API.
///
/// Used by the two per-record hot paths, loading and saving a record, where building
/// `StatementArguments` and `Row` values costs more than SQLite's own work. The statement stays
/// in GRDB's cache, which finalizes it; GRDB binds every argument again whenever it runs it.
struct RawStatement {
    fileprivate let handle: SQLiteStatement
    private let db: Database

    /// SQLite copies bound text and blobs (the `SQLITE_TRANSIENT` destructor), so the Swift
    /// values need not outlive the call that binds them.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: Statement, _ db: Database) {
        self.handle = statement.sqliteStatement
        self.db = db
        sqlite3_reset(handle)
    }

    // MARK: Binding (1-based, like SQLite)

    func bind(_ text: String, at index: Int32) {
        var text = text
        text.withUTF8 { bytes in
            _ = sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
        }
    }

    func bindText(_ bytes: [UInt8], at index: Int32) {
        bytes.withUnsafeBufferPointer { buffer in
            _ = sqlite3_bind_text(handle, index, buffer.baseAddress, Int32(buffer.count), Self.transient)
        }
    }

    func bindBlob(_ bytes: [UInt8], at index: Int32) {
        bytes.withUnsafeBufferPointer { buffer in
            _ = sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), Self.transient)
        }
    }

    func bind(_ number: Int64, at index: Int32) {
        sqlite3_bind_int64(handle, index, number)
    }

    /// Sets every parameter to NULL.
    func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    func bindNull(at index: Int32) {
        sqlite3_bind_null(handle, index)
    }

    func bind(_ value: FieldValue, at index: Int32) {
        switch value {
        case .null: bindNull(at: index)
        case .integer(let number): bind(number, at: index)
        case .text(let text): bind(text, at: index)
        }
    }

    // MARK: Stepping

    /// Runs a statement that returns no rows.
    func execute() throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw failure(code) }
    }

    /// Steps to the next row; false when there is none.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw failure(code)
        }
    }

    /// Releases the statement's hold on the database snapshot once its rows are read.
    func reset() {
        sqlite3_reset(handle)
    }

    private func failure(_ code: Int32) -> DatabaseError {
        let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
        return DatabaseError(
            resultCode: ResultCode(rawValue: code), message: message, sql: String(cString: sqlite3_sql(handle)))
    }

    // MARK: Reading columns (0-based, like SQLite)

    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    /// The column's bytes (text as UTF-8), valid only inside `body`.
    func withBytes<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        // Ask for the pointer first: `sqlite3_column_bytes` then reports the size of that form.
        let pointer =
            sqlite3_column_type(handle, column) == SQLITE_BLOB
            ? sqlite3_column_blob(handle, column)?.assumingMemoryBound(to: UInt8.self)
            : sqlite3_column_text(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeBufferPointer(start: count > 0 ? pointer : nil, count: count))
    }

    func string(_ column: Int32) -> String {
        withBytes(column) { String(decoding: $0, as: UTF8.self) }
    }

    func bytes(_ column: Int32) -> [UInt8] {
        withBytes(column) { Array($0) }
    }

    /// A field column as a field value, by the storage class SQLite reports.
    func fieldValue(_ column: Int32) -> FieldValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: .null
        case SQLITE_INTEGER: .integer(int64(column))
        case SQLITE_FLOAT: .integer(Int64(sqlite3_column_double(handle, column)))
        default: .text(string(column))
        }
    }
}

/// Text and blob parameters gathered into one buffer and bound without SQLite copying them.
///
/// Bound with `SQLITE_TRANSIENT`, every text makes SQLite allocate and copy; saving a record
/// binds a dozen. Here the bytes are copied once, into one buffer that lives until the step is
/// done, and bound as `SQLITE_STATIC`; `RawStatement.execute(with:)` clears the bindings right
/// after the step, so the statement never keeps a pointer into freed memory.
struct ParameterBuffer {
    private struct Parameter {
        var index: Int32
        var start: Int
        var count: Int
        var isBlob: Bool
    }

    /// Starts with one byte, so that no parameter's address is ever NULL (which SQLite would
    /// bind as SQL NULL instead of an empty text).
    private var bytes: [UInt8] = [0]
    private var parameters: [Parameter] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity + 1)
        parameters.reserveCapacity(16)
    }

    mutating func text(_ text: String, at index: Int32) {
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        parameters.append(Parameter(index: index, start: start, count: bytes.count - start, isBlob: false))
    }

    mutating func text(_ text: [UInt8], at index: Int32) {
        parameters.append(Parameter(index: index, start: bytes.count, count: text.count, isBlob: false))
        bytes.append(contentsOf: text)
    }

    mutating func blob(_ blob: [UInt8], at index: Int32) {
        parameters.append(Parameter(index: index, start: bytes.count, count: blob.count, isBlob: true))
        bytes.append(contentsOf: blob)
    }

    /// A field value: numbers and NULL go to `statement` at once, text into the buffer.
    mutating func value(_ value: FieldValue, at index: Int32, of statement: RawStatement) {
        switch value {
        case .null: statement.bindNull(at: index)
        case .integer(let number): statement.bind(number, at: index)
        case .text(let text): self.text(text, at: index)
        }
    }

    /// Binds the gathered parameters to `handle` for as long as `body` runs.
    fileprivate func withBindings<T>(to handle: SQLiteStatement, _ body: () throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            for parameter in parameters {
                if parameter.isBlob {
                    sqlite3_bind_blob(handle, parameter.index, base + parameter.start, Int32(parameter.count), nil)
                } else {
                    sqlite3_bind_text(handle, parameter.index, base + parameter.start, Int32(parameter.count), nil)
                }
            }
            defer { sqlite3_clear_bindings(handle) }
            return try body()
        }
    }
}

extension RawStatement {
    /// Runs a statement that returns no rows, with `parameters` bound for the step and every
    /// parameter cleared after it.
    func execute(with parameters: ParameterBuffer) throws {
        try parameters.withBindings(to: handle) { try execute() }
    }
}
