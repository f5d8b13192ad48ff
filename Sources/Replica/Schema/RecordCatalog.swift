public import SyncCore

/// The record types one replica stores, looked up by name.
public struct RecordCatalog: Sendable {
    public let types: [RecordType]
    private let byName: [String: RecordType]

    public init(_ types: [RecordType]) {
        self.types = types
        self.byName = Dictionary(uniqueKeysWithValues: types.map { ($0.name, $0) })
    }

    public static let hearth = RecordCatalog(HearthSchema.all)

    public func type(named name: String) -> RecordType? { byName[name] }

    /// The declared type named `name`. The refusal does not quote `name`: it may come from a peer.
    public func require(_ name: String) throws(ReplicaError) -> RecordType {
        guard let type = byName[name] else {
            throw ReplicaError(
                .invalidInput,
                "a record type this replica does not declare (it knows \(types.map(\.name).joined(separator: ", "))); "
                    + "is the sender a newer Hearth?")
        }
        return type
    }
}
