import Foundation
public import GRDB
public import SyncCore

/// Read access to a consistent snapshot of a replica.
///
/// Not `Sendable`: it lives only inside `Replica.read { reader in … }`.
public struct ReplicaReader {
    public let replica: Replica
    /// The open SQLite connection; valid only inside the closure.
    public let db: Database

    /// A record's full state, deleted ones included; nil when unknown here.
    public func record(_ type: RecordType, id: String) throws -> RecordState? {
        try replica.store(for: type.name).load(id: id, db)?.state
    }

    /// A live record's state, or a `.notFound` error naming the list command.
    public func requireLive(_ type: RecordType, id: String) throws -> RecordState {
        guard let state = try record(type, id: id), !state.isDeleted else {
            throw ReplicaError(.notFound, "no \(type.name) with id \(id); list them with `hearth \(type.name) list`")
        }
        return state
    }

    /// Live records of `type` as id plus shown values, filtered by exact field values and a
    /// text search over the type's search fields, sorted by its label field.
    public func list(_ type: RecordType, equal filters: [String: FieldValue] = [:], search: String? = nil) throws
        -> [RecordSnapshot]
    {
        let sql = RecordTableSQL(type)
        var clauses = ["_deleted = 0"]
        var arguments: [(any DatabaseValueConvertible)?] = []
        for (field, value) in filters.sorted(by: { $0.key < $1.key }) {
            guard type.field(field) != nil else {
                throw ReplicaError(.invalidInput, "\(type.name) has no field '\(field)'")
            }
            clauses.append("\(RecordTableSQL.quote(field)) = ?")
            arguments.append(RecordStore.databaseValue(value))
        }
        if let search, !search.isEmpty, !type.searchFields.isEmpty {
            let pattern =
                "%"
                + search.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            clauses.append(
                "("
                    + type.searchFields.map { "\(RecordTableSQL.quote($0)) LIKE ? ESCAPE '\\'" }.joined(
                        separator: " OR ") + ")")
            arguments.append(contentsOf: Array(repeating: pattern, count: type.searchFields.count))
        }
        let order = type.labelField.map { "\(RecordTableSQL.quote($0)), id" } ?? "id"
        let columns = (["id"] + sql.columns.map(RecordTableSQL.quote)).joined(separator: ", ")
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT \(columns) FROM \(sql.table) WHERE \(clauses.joined(separator: " AND ")) ORDER BY \(order)",
            arguments: StatementArguments(arguments))
        return rows.map { row in
            var values: [String: FieldValue] = [:]
            for (index, column) in sql.columns.enumerated() {
                values[column] = RecordStore.fieldValue(row[index + 1])
            }
            return RecordSnapshot(type: type, id: row[0], values: values)
        }
    }

    /// How many live records of `type` there are.
    public func count(_ type: RecordType) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM \(RecordTableSQL.quote(type.name)) WHERE _deleted = 0") ?? 0
    }

    /// The node's own writes that a push has not yet carried to the server.
    public func unsyncedChangeCount() throws -> Int {
        let watermark = Int64(try ReplicaMeta.get("pushed_counter", db) ?? "0") ?? 0
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM change_log WHERE counter > ?", arguments: [watermark])
            ?? 0
    }

    /// The node's own writes, newest first (the change log).
    public func changeLog(limit: Int = 50) throws -> [ChangeLogEntry] {
        try Row.fetchAll(
            db,
            sql:
                """
                SELECT counter, record_type, record_id, fields, wall_time, writer FROM change_log
                ORDER BY counter DESC LIMIT ?
                """,
            arguments: [limit]
        ).map { row in
            ChangeLogEntry(
                dot: Dot(
                    node: (row[5] as String?).flatMap(NodeID.init) ?? replica.nodeID, counter: UInt64(row[0] as Int64)),
                recordType: row[1], recordID: row[2],
                fields: (row[3] as String).split(separator: ",").map(String.init), wallTime: row[4])
        }
    }

    /// How many records of every type (kept ones included) meet `condition`, an SQL condition
    /// on the bookkeeping columns (`_pending = 1`, `_deleted = 1`…).
    func recordCount(where condition: String) throws -> Int {
        var total = 0
        for store in try replica.allStores(db) {
            total +=
                try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM \(store.sql.table) WHERE \(condition)"))
                ?? 0
        }
        return total
    }

    /// Records changed here that the server has not acknowledged yet (`Replica.pendingRecordCount`).
    public func pendingRecordCount() throws -> Int {
        try recordCount(where: "_pending = 1")
    }

    /// The order-independent digest of every replicated record (tombstones and conflicts included).
    public func digest() throws -> ReplicaDigest {
        ReplicaDigest(hex: try ReplicaMeta.get("digest", db) ?? "") ?? ReplicaDigest()
    }

    /// The digest computed afresh from every record's stored state, to check the kept one.
    ///
    /// Each record is loaded and hashed with the function the write path uses (`RecordDigest`),
    /// so a value column or `_meta` changed outside Hearth makes it differ from `digest()`.
    public func recomputedDigest() throws -> ReplicaDigest {
        try checkRecords().digest
    }

    /// Loads every record (tombstones included), hashes it as the write path does, and compares
    /// each hash with the stored `_hash`. Reads the whole replica: for `hearth check`, not for sync.
    public func checkRecords() throws -> RecordCheck {
        var check = RecordCheck(digest: ReplicaDigest(), records: 0, mismatched: 0, unreadable: 0)
        for store in try replica.allStores(db) {
            let ids = try String.fetchCursor(db, sql: "SELECT id FROM \(store.sql.table)")
            while let id = try ids.next() {
                check.records += 1
                let stored: StoredRecord?
                do {
                    stored = try store.load(id: id, db)
                } catch let error as ReplicaError where error.code == .storage {
                    check.unreadable += 1
                    continue
                }
                guard let stored else { continue }
                let hash = RecordDigest.hash(stored.state)
                if hash != stored.hash { check.mismatched += 1 }
                check.digest.toggle(hash)
            }
        }
        return check
    }

    /// SQLite's own integrity check: `["ok"]` when the file is sound, else the problems found.
    public func integrityCheck() throws -> [String] {
        try String.fetchAll(db, sql: "PRAGMA integrity_check")
    }

    /// The display name of this node.
    public func nodeName() throws -> String {
        try ReplicaMeta.get("node_name", db) ?? ""
    }

    /// Names of known nodes (this one and those learned from the server).
    public func nodeNames() throws -> [NodeID: String] {
        try replica.peers.names(db)
    }

    /// A setting kept in the replica (sync cursor, server URL, last sync…).
    public func setting(_ key: String) throws -> String? {
        try ReplicaMeta.get(key, db)
    }
}

/// A live record's id and shown values, for listing.
public struct RecordSnapshot: Sendable, Hashable {
    public var type: RecordType
    public var id: String
    public var values: [String: FieldValue]

    public init(type: RecordType, id: String, values: [String: FieldValue]) {
        self.type = type
        self.id = id
        self.values = values
    }

    public init(_ state: RecordState, type: RecordType) {
        self.init(type: type, id: state.id, values: state.shownValues)
    }

    public subscript(field: String) -> FieldValue { values[field] ?? .null }
}

/// One of the node's own writes, as kept in the change log.
public struct ChangeLogEntry: Sendable, Hashable {
    public var dot: Dot
    public var recordType: String
    public var recordID: String
    public var fields: [String]
    public var wallTime: Int64
}
