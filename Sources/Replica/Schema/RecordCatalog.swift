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

    public func require(_ name: String) throws(ReplicaError) -> RecordType {
        guard let type = byName[name] else {
            throw ReplicaError(
                .invalidInput,
                "unknown record type '\(name)'; known types: \(types.map(\.name).joined(separator: ", "))")
        }
        return type
    }
}
