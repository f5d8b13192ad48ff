import Foundation
import GRDB
import SyncCore

/// A record as stored: its state plus the bookkeeping columns.
struct StoredRecord {
    var state: RecordState
    var isPending: Bool
    /// The `_meta` text: it changes with every state change, so it identifies a state cheaply.
    var meta: String
    var hash: [UInt8]
}

/// Loads and saves record states in their type's table. Generic over declarations.
struct RecordStore {
    let sql: RecordTableSQL
    let peers: PeerDirectory

    var type: RecordType { sql.type }

    func load(id: String, _ db: Database) throws -> StoredRecord? {
        let statement = try db.cachedStatement(sql: sql.select)
        guard let row = try Row.fetchOne(statement, arguments: [id]) else { return nil }
        let columns = sql.columns
        let base = columns.count + 1
        let meta: String = row[base + 2]
        let decoded = try RecordMetaCodec.decode(meta, peers: peers, db)
        var siblings: [String: [FieldVersion]] = [:]
        if let siblingText = row[base + 3] as String? {
            siblings = try RecordMetaCodec.decodeSiblings(siblingText, peers: peers, db)
        }
        var state = RecordState(type: type.name, id: id, vector: decoded.vector)
        for (name, shown) in decoded.shown {
            let value: FieldValue
            if name == RecordState.lifecycleField {
                value = .integer(row[base])
            } else if let index = columns.firstIndex(of: name) {
                value = Self.fieldValue(row[index + 1])
            } else {
                throw ReplicaError(.storage, "a \(type.name) record has metadata for an undeclared field '\(name)'")
            }
            var versions = [FieldVersion(value: value, dot: shown.dot, wallTime: shown.wallTime)]
            versions.append(contentsOf: siblings[name] ?? [])
            state.fields[name] =
                versions.count == 1 ? FieldState(single: versions[0]) : FieldState(field: name, versions: versions)
        }
        let hash: Data = row[base + 4]
        return StoredRecord(state: state, isPending: row[base + 1], meta: meta, hash: Array(hash))
    }

    /// Writes `state` (insert or replace); returns the stored form.
    @discardableResult
    func save(_ state: RecordState, pending: Bool, _ db: Database) throws -> StoredRecord {
        let meta = try RecordMetaCodec.encode(state, peers: peers, db)
        let siblings = try RecordMetaCodec.encodeSiblings(state, peers: peers, db)
        let hash = RecordDigest.hash(state)
        var arguments: [(any DatabaseValueConvertible)?] = [state.id]
        arguments.reserveCapacity(sql.columns.count + 6)
        for column in sql.columns {
            arguments.append(Self.databaseValue(state.value(column)))
        }
        arguments.append(state.isDeleted ? 1 : 0)
        arguments.append(pending ? 1 : 0)
        arguments.append(meta)
        arguments.append(siblings)
        arguments.append(Data(hash))
        let statement = try db.cachedStatement(sql: sql.upsert)
        try statement.execute(arguments: StatementArguments(arguments))
        return StoredRecord(state: state, isPending: pending, meta: meta, hash: hash)
    }

    static func fieldValue(_ value: DatabaseValue) -> FieldValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(number)
        case .string(let text): .text(text)
        case .double(let number): .integer(Int64(number))
        case .blob(let data): .text(String(decoding: data, as: UTF8.self))
        }
    }

    static func databaseValue(_ value: FieldValue) -> (any DatabaseValueConvertible)? {
        switch value {
        case .null: nil
        case .text(let text): text
        case .integer(let number): number
        }
    }
}
