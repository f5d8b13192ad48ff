/// One declared field of a record type.
public struct FieldSpec: Sendable, Hashable {
    /// The limit for free text such as notes or a description: 16 KiB of UTF-8, about 5,400
    /// Chinese characters, a few pages.
    public static let longTextBytes = 16 << 10

    /// The field's name: its JSON key, its column and its CLI option (camelCase).
    public var name: String
    public var kind: FieldKind
    public var isRequired: Bool
    /// Whether the value is personal data that must stay out of logs and error messages.
    public var isPersonal: Bool
    /// The longest text value accepted, in bytes of UTF-8, on every write, local or incoming
    /// (nil for numbers). Defaults to the kind's `defaultMaxBytes`.
    public var maxBytes: Int?

    public init(
        _ name: String, _ kind: FieldKind, required: Bool = false, personal: Bool = false, maxBytes: Int? = nil
    ) {
        self.name = name
        self.kind = kind
        self.isRequired = required
        self.isPersonal = personal
        self.maxBytes = kind.storesInteger ? nil : maxBytes ?? kind.defaultMaxBytes
    }
}
