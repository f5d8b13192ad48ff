import Foundation
import SyncCore

/// The SQL of one record type's table, generated from its declaration and cached.
///
/// Columns: `id`, one column per declared field holding the shown value, then bookkeeping:
/// `_deleted` (tombstone flag, for fast listing), `_pending` (1 while upstream may lack this
/// state), `_meta` (version vector and the shown versions' dots, see `RecordMetaCodec`),
/// `_siblings` (concurrent versions that are not shown, usually NULL), `_hash` (this record's
/// digest contribution) and `_extra` (every version of the fields this build does not declare,
/// kept opaquely for newer nodes; usually NULL).
///
/// A record type this build does not know at all is kept the same way in a table of its own
/// named `x_TYPE` (see `OpaqueTypes`): no field columns, everything in `_extra`.
///
/// A class, immutable once made: every record loaded or saved copies its `RecordStore`, and
/// one reference is cheaper to copy than the declaration and the SQL texts.
final class RecordTableSQL: Sendable {
    let type: RecordType
    let table: String
    let columns: [String]
    /// Each declared field's position in `columns`.
    let columnIndex: [String: Int]
    let select: String
    let upsert: String

    /// The table's unquoted name: the type's name, or `x_` and the name for a type kept opaquely.
    let tableName: String

    init(_ type: RecordType, opaque: Bool = false) {
        self.type = type
        self.tableName = opaque ? OpaqueTypes.tablePrefix + type.name : type.name
        self.table = Self.quote(tableName)
        self.columns = type.fields.map(\.name)
        self.columnIndex = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        let fieldList = columns.map(Self.quote).joined(separator: ", ")
        let selected =
            (["id"] + columns.map(Self.quote) + ["_deleted", "_pending", "_meta", "_siblings", "_hash", "_extra"])
            .joined(separator: ", ")
        self.select = "SELECT \(selected) FROM \(table) WHERE id = ?"
        let all = ["id"] + columns.map(Self.quote) + ["_deleted", "_pending", "_meta", "_siblings", "_hash", "_extra"]
        let placeholders = Array(repeating: "?", count: all.count).joined(separator: ", ")
        let updates = all.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        self.upsert =
            "INSERT INTO \(table) (\(all.joined(separator: ", "))) VALUES (\(placeholders)) "
            + "ON CONFLICT(id) DO UPDATE SET \(updates)"
    }

    /// The position of `field` in `columns`, or nil when it is not a declared field.
    ///
    /// For a few columns a scan compares short names faster than the dictionary hashes them;
    /// every field of every saved record is looked up here.
    func columnPosition(of field: String) -> Int? {
        guard columns.count <= 16 else { return columnIndex[field] }
        return columns.firstIndex(of: field)
    }

    var createStatements: [String] {
        let fieldColumns = type.fields.map { spec in
            "\(Self.quote(spec.name)) \(spec.kind.storesInteger ? "INTEGER" : "TEXT")"
        }
        let body =
            (["id TEXT PRIMARY KEY NOT NULL"] + fieldColumns + [
                "_deleted INTEGER NOT NULL DEFAULT 0",
                "_pending INTEGER NOT NULL DEFAULT 0",
                "_meta TEXT NOT NULL",
                "_siblings TEXT",
                "_hash BLOB NOT NULL",
                "_extra TEXT",
            ]).joined(separator: ", ")
        return [
            "CREATE TABLE IF NOT EXISTS \(table) (\(body))",
            pendingIndexStatement,
            tombstoneIndexStatement,
        ] + type.indexedFields.map { indexStatement(field: $0) }
    }

    /// The pending records, in rowid order: a new record's entry lands at the end of the index
    /// instead of at a random place (as an index on the random `id` would), so capturing a
    /// write costs an append.
    var pendingIndexStatement: String {
        "CREATE INDEX IF NOT EXISTS \(Self.quote(tableName + "_pending")) ON \(table)(_pending) WHERE _pending = 1"
    }

    /// The tombstones, for collection (`Replica+Collection`): usually few, so the index is small.
    var tombstoneIndexStatement: String {
        "CREATE INDEX IF NOT EXISTS \(Self.quote(tableName + "_deleted")) ON \(table)(_deleted) WHERE _deleted = 1"
    }

    func indexStatement(field: String) -> String {
        "CREATE INDEX IF NOT EXISTS \(Self.quote(type.name + "_" + field)) ON \(table)(\(Self.quote(field)))"
    }

    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
