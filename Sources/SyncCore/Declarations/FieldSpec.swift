/// One declared field of a record type.
public struct FieldSpec: Sendable, Hashable {
    /// The field's name: its JSON key, its column and its CLI option (camelCase).
    public var name: String
    public var kind: FieldKind
    public var isRequired: Bool
    /// Whether the value is personal data that must stay out of logs and error messages.
    public var isPersonal: Bool

    public init(_ name: String, _ kind: FieldKind, required: Bool = false, personal: Bool = false) {
        self.name = name
        self.kind = kind
        self.isRequired = required
        self.isPersonal = personal
    }
}
