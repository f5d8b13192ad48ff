public import SyncCore

/// The record types one replica stores, looked up by name.
public struct RecordCatalog: Sendable {
    public let types: [RecordType]
    private let byName: [String: RecordType]

    /// Raised by every release that declares a new record type or field (PROTOCOL.md,
    /// compatibility): nodes compare it in the handshake to tell who should upgrade.
    public let version: Int

    public init(_ types: [RecordType], version: Int = 1) {
        self.version = version
        self.types = types
        self.byName = Dictionary(uniqueKeysWithValues: types.map { ($0.name, $0) })
    }

    public static let hearth = RecordCatalog(HearthSchema.all, version: HearthSchema.catalogVersion)

    /// The declared type and field names, for telling whether the declarations changed.
    var fingerprint: String {
        types.map { type in type.name + ":" + type.fields.map(\.name).joined(separator: ",") }.joined(separator: ";")
    }

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
