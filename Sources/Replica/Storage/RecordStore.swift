import Foundation
import GRDB
import SyncCore

/// A record as stored: its state and its stored hash.
struct StoredRecord {
    var state: RecordState
    /// This record's digest contribution, as stored in `_hash`.
    var hash: [UInt8]
}

/// Loads and saves record states in their type's table. Generic over declarations.
///
/// Both directions bind and read columns through `RawStatement`: every record a sync moves
/// passes here at least once, on every replica.
struct RecordStore {
    let sql: RecordTableSQL
    let peers: PeerDirectory

    var type: RecordType { sql.type }

    func load(id: String, _ db: Database) throws -> StoredRecord? {
        let statement = RawStatement(try db.cachedStatement(sql: sql.select), db)
        defer { statement.reset() }
        statement.bind(id, at: 1)
        guard try statement.step() else { return nil }
        // Columns: id, the declared fields, then _deleted, _pending, _meta, _siblings, _hash, _extra.
        let base = Int32(sql.columns.count + 1)
        let decoded = try statement.withBytes(base + 2) { try RecordMetaCodec.decode($0, peers: peers, db) }
        var siblings: [String: [FieldVersion]] = [:]
        if !statement.isNull(base + 3) {
            siblings = try statement.withBytes(base + 3) { try RecordMetaCodec.decodeSiblings($0, peers: peers, db) }
        }
        var state = RecordState(type: type.name, id: id, vector: decoded.vector)
        state.fields.reserveCapacity(decoded.shown.count)
        for (name, shown) in decoded.shown {
            let value: FieldValue
            if name == RecordState.lifecycleField {
                value = .integer(statement.int64(base))
            } else if let index = sql.columnIndex[name] {
                value = statement.fieldValue(Int32(index + 1))
            } else {
                throw ReplicaError(.storage, "a \(type.name) record has metadata for an undeclared field '\(name)'")
            }
            let version = FieldVersion(value: value, dot: shown.dot, wallTime: shown.wallTime)
            if let others = siblings[name] {
                state.fields[name] = FieldState(field: name, versions: [version] + others)
            } else {
                state.fields[name] = FieldState(single: version)
            }
        }
        if !statement.isNull(base + 5) {
            // Fields this build does not declare, kept whole for newer nodes.
            let extra = try statement.withBytes(base + 5) { try RecordMetaCodec.decodeSiblings($0, peers: peers, db) }
            for (name, versions) in extra where !versions.isEmpty {
                state.fields[name] = FieldState(field: name, versions: versions)
            }
        }
        return StoredRecord(state: state, hash: statement.bytes(base + 4))
    }

    /// Whether `field` goes in its column (or the lifecycle flag): declared here, and every
    /// version of the declared storage kind. A value of another kind (from a release whose
    /// declarations differ) would be coerced by SQLite's column affinity and read back changed,
    /// so such a field is kept whole in `_extra` instead.
    func storesInColumn(_ field: String, _ state: FieldState) -> Bool {
        storesInColumn(field, state, index: sql.columnIndex[field])
    }

    /// `storesInColumn(_:_:)` with the field's column position already looked up.
    private func storesInColumn(_ field: String, _ state: FieldState, index: Int?) -> Bool {
        if field == RecordState.lifecycleField {
            return state.versions.allSatisfy { $0.value == RecordState.alive || $0.value == RecordState.deleted }
        }
        guard let index else { return false }
        let wantsInteger = type.fields[index].kind.storesInteger
        return state.versions.allSatisfy { version in
            switch version.value {
            case .null: true
            case .integer: wantsInteger
            case .text: !wantsInteger
            }
        }
    }

    /// Writes `state` (insert or replace); returns its record hash (its digest contribution).
    ///
    /// `upsert` is this store's `sql.upsert` prepared on `db`, when the caller keeps it at hand
    /// (a transaction writing many records); otherwise it comes from GRDB's statement cache.
    /// `sortedFields` are `state.fields` sorted by name, when the caller has them.
    @discardableResult
    func save(
        _ state: RecordState, pending: Bool, _ db: Database, upsert: Statement? = nil,
        sortedFields: [(key: String, value: FieldState)]? = nil
    ) throws -> [UInt8] {
        let sortedFields = sortedFields ?? state.fields.sorted(by: { $0.key < $1.key })
        // The hash covers every field, declared or not, so replicas of any release agree on it.
        let hash = RecordDigest.hash(state, sortedFields: sortedFields)
        let statement = RawStatement(try upsert ?? db.cachedStatement(sql: sql.upsert), db)
        // Every field column is NULL unless the state has that field: one pass over the fields
        // binds each shown value and finds whether every field goes in its column.
        statement.clearBindings()
        var parameters = ParameterBuffer(capacity: 512)
        parameters.text(state.id, at: 1)
        var allInColumns = true
        for (name, field) in sortedFields {
            let column = sql.columnPosition(of: name)
            if let column { parameters.value(field.shown.value, at: Int32(column) + 2, of: statement) }
            if allInColumns && !storesInColumn(name, field, index: column) { allInColumns = false }
        }
        var declared = state
        var extra: [UInt8]?
        if !allInColumns {
            let kept = state.fields.filter { !storesInColumn($0.key, $0.value) }
            declared.fields = state.fields.filter { kept[$0.key] == nil }
            extra = try RecordMetaCodec.encodeExtra(kept, peers: peers, db)
        }
        let meta = try RecordMetaCodec.encode(
            declared, peers: peers, db, sortedFields: allInColumns ? sortedFields : nil)
        let siblings = try RecordMetaCodec.encodeSiblings(declared, peers: peers, db)
        let index = Int32(sql.columns.count) + 2
        statement.bind(state.isDeleted ? 1 : 0, at: index)
        statement.bind(pending ? 1 : 0, at: index + 1)
        parameters.text(meta, at: index + 2)
        if let siblings { parameters.text(siblings, at: index + 3) }
        parameters.blob(hash, at: index + 4)
        if let extra { parameters.text(extra, at: index + 5) }
        try statement.execute(with: parameters)
        return hash
    }
}

extension RecordStore {
    /// A field column read through GRDB (listing and search queries) as a field value.
    static func fieldValue(_ value: DatabaseValue) -> FieldValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(number)
        case .string(let text): .text(text)
        case .double(let number): .integer(Int64(number))
        case .blob(let data): .text(String(decoding: data, as: UTF8.self))
        }
    }

    /// A field value as a GRDB query argument.
    static func databaseValue(_ value: FieldValue) -> (any DatabaseValueConvertible)? {
        switch value {
        case .null: nil
        case .text(let text): text
        case .integer(let number): number
        }
    }
}
