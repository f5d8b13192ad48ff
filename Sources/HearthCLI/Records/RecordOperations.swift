public import Replica
public import SyncCore

/// The generic record commands (`add`, `list`, `show`, `edit`, `remove`) over one declared record type.
///
/// Each operation is one replica transaction or snapshot: a refused one (unknown id, bad value,
/// a rule broken) throws a `ReplicaError` and leaves the replica exactly as it was.
public struct RecordOperations: Sendable {
    public let replica: Replica
    public let type: RecordType

    public init(replica: Replica, type: RecordType) {
        self.replica = replica
        self.type = type
    }

    /// Creates a record from checked values (see `FieldInput`) and returns it as stored.
    public func add(_ values: [String: FieldValue]) throws(ReplicaError) -> RecordSnapshot {
        let state = try replica.write { transaction in try transaction.insert(type, values) }
        return RecordSnapshot(state, type: type)
    }

    /// Live records matching exact-value filters and a text search, in label order.
    public func list(filters: [String: FieldValue] = [:], search: String? = nil) throws(ReplicaError)
        -> [RecordSnapshot]
    {
        let search = search?.trimmingWhitespaceAndNewlines()
        return try replica.read { reader in try reader.list(type, equal: filters, search: search) }
    }

    /// One live record; `id` is the text the user typed.
    public func show(_ id: String) throws(ReplicaError) -> RecordSnapshot {
        let id = try FieldInput.recordID(id, of: type)
        let state = try replica.read { reader in try reader.requireLive(type, id: id) }
        return RecordSnapshot(state, type: type)
    }

    /// Writes only the given fields of a live record and returns the record after the edit.
    public func edit(_ id: String, _ values: [String: FieldValue]) throws(ReplicaError) -> RecordSnapshot {
        let id = try FieldInput.recordID(id, of: type)
        let state = try replica.write { transaction in try transaction.update(type, id: id, values) }
        return RecordSnapshot(state, type: type)
    }

    /// Deletes a live record (a tombstone that syncs); returns its normalised id.
    @discardableResult
    public func remove(_ id: String) throws(ReplicaError) -> String {
        let id = try FieldInput.recordID(id, of: type)
        try replica.write { transaction in _ = try transaction.delete(type, id: id) }
        return id
    }
}

extension String {
    func trimmingWhitespaceAndNewlines() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
