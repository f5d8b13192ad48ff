/// A field's value: text, a whole number, or nothing.
public enum FieldValue: Hashable, Sendable, CustomStringConvertible {
    case null
    case text(String)
    case integer(Int64)

    public var isNull: Bool { self == .null }

    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The value as people read it; null prints as an empty string.
    public var description: String {
        switch self {
        case .null: ""
        case .text(let value): value
        case .integer(let value): String(value)
        }
    }
}
