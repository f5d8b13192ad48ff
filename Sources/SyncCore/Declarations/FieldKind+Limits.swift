extension FieldKind {
    /// The longest text a field of this kind holds unless its declaration says otherwise, in
    /// bytes of UTF-8 (a Chinese character takes 3); nil for kinds stored as numbers.
    ///
    /// Generous for what people type, small against abuse: one compressed push must not be able
    /// to store megabytes in a name. Raising a limit later is safe only once every node runs a
    /// build that knows the new one (an older node refuses longer incoming values).
    ///
    /// | kind | limit | room for |
    /// |---|---|---|
    /// | text | 1,024 | a name, employer, title or place: 341 Chinese characters |
    /// | phone | 64 | a number with country code, extension and spacing |
    /// | choice | 64 | one of the declared words |
    /// | date | 10 | `2026-01-28` |
    /// | timestamp | 32 | `2026-01-28T09:30:00+08:00` (25) |
    /// | reference | 36 | a UUID |
    ///
    /// Free-text fields (notes, a description) declare `FieldSpec.longTextBytes` (16 KiB) instead.
    public var defaultMaxBytes: Int? {
        switch self {
        case .text: 1_024
        case .phone: 64
        case .choice: 64
        case .date: 10
        case .timestamp: 32
        case .reference: 36
        case .integer: nil
        }
    }
}
