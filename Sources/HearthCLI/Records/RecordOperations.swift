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
        let state = try replica.write { transaction in
            try requireReferences(values, transaction)
            return try transaction.insert(type, values)
        }
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
        let state = try replica.read { reader in
            guard let state = try reader.record(type, id: id), !state.isDeleted else { throw notFound(id) }
            return state
        }
        return RecordSnapshot(state, type: type)
    }

    /// Writes only the given fields of a live record and returns the record after the edit.
    public func edit(_ id: String, _ values: [String: FieldValue]) throws(ReplicaError) -> RecordSnapshot {
        let id = try FieldInput.recordID(id, of: type)
        let state = try replica.write { transaction in
            guard let state = try transaction.record(type, id: id), !state.isDeleted else { throw notFound(id) }
            try requireReferences(values, transaction)
            return try transaction.update(type, id: id, values)
        }
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

extension RecordOperations {
    /// Refuses a write whose reference fields name records that are not live here (a case for a
    /// member id that does not exist, a claim on an unknown enrolment). Only local writes are
    /// checked: an incoming change may arrive before the record it refers to.
    func notFound(_ id: String) -> ReplicaError {
        ReplicaError(.notFound, "no \(type.name) with id \(id); list them with `\(RecordCommandNames.list(type.name))`")
    }

    func requireReferences(_ values: [String: FieldValue], _ transaction: ReplicaTransaction) throws {
        for spec in type.fields {
            guard case .reference(let target) = spec.kind, let id = values[spec.name]?.text else { continue }
            let targetType = try transaction.replica.catalog.require(target)
            guard let state = try transaction.record(targetType, id: id), !state.isDeleted else {
                throw ReplicaError(
                    .notFound,
                    "no \(target) with id \(id) (\(spec.name)); find it with `\(RecordCommandNames.list(target))`")
            }
        }
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
