/// What a declared field holds, which decides how input is checked and normalised.
public enum FieldKind: Sendable, Hashable {
    /// Free Unicode text.
    case text
    /// A phone number: digits, with spaces, `+` and `-` allowed.
    case phone
    /// One of a fixed list of words.
    case choice([String])
    /// A calendar date, `YYYY-MM-DD`.
    case date
    /// An ISO 8601 date or date-time (`2026-01-28`, `2026-01-28T09:30`, with optional `Z` or `+08:00`).
    case timestamp
    /// A whole number no smaller than the bound.
    case integer(minimum: Int64)
    /// The id of a record of the named type.
    case reference(String)

    public var storesInteger: Bool {
        if case .integer = self { return true }
        return false
    }
}
