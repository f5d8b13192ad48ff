import Foundation
public import SyncCore

/// What `RecordImport` and `SpreadsheetExport` need to know of one record type: its spreadsheet
/// headers and words, and how a row finds the record it stands for.
///
/// Adding an importable type is writing one of these (see `ImportableType+Member.swift`); the
/// reading, checking, matching and writing are shared.
public struct ImportableType: Sendable {
    /// The declaration the rows are checked against.
    public var type: RecordType
    /// The type's name in the plural, for messages ("members").
    public var plural: String
    /// Headers accepted besides the field names, per field; the first is the one exports write.
    public var aliases: [String: [String]]
    /// Spreadsheet words for choice values, per field and value; the first is the one exports write
    /// (`residency`: `nonlocal` → 外地, 非本地, 新市民).
    public var words: [String: [String: [String]]]
    /// How rows are matched with stored records, so that an import never duplicates one.
    public var match: MatchRule

    public init(
        type: RecordType, plural: String, aliases: [String: [String]], words: [String: [String: [String]]],
        match: MatchRule
    ) {
        self.type = type
        self.plural = plural
        self.aliases = aliases
        self.words = words
        self.match = match
    }

    /// "1 member", "3 members".
    public func counted(_ count: Int) -> String {
        "\(count) \(count == 1 ? type.name : plural)"
    }

    /// The header exports write for `field`: its first Chinese alias, else its name.
    public func chineseHeader(_ field: String) -> String {
        aliases[field]?.first { $0.unicodeScalars.contains { !$0.isASCII } } ?? field
    }

    /// The word exports write for a stored choice `value` of `field`, else the value itself.
    public func chineseWord(_ value: String, field: String) -> String {
        words[field]?[value]?.first ?? value
    }

    /// Cell text with the type's words and spreadsheet dates turned into what its parser accepts,
    /// and line breaks inside a cell made LF (a file saved with CRLF line ends has them in quoted
    /// cells too; the declarations allow LF but no other control character).
    public func normalise(_ cell: String, for field: String) -> String {
        let text = SpreadsheetText.unwrappingFormulaText(cell)
            .replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if let fieldWords = words[field] {
            let lowered = text.lowercased()
            for (value, spellings) in fieldWords where spellings.contains(where: { $0.lowercased() == lowered }) {
                return value
            }
        }
        switch type.field(field)?.kind {
        case .date: return SpreadsheetText.isoDate(text) ?? text
        case .timestamp: return SpreadsheetText.isoTimestamp(text) ?? text
        default: return text
        }
    }

    /// True when a row's value would not change the stored one: equal, or for phone numbers the
    /// same digits ("138 0000 0000" and "13800000000"), so reformatting a number writes nothing.
    public func isSame(_ stored: FieldValue, _ given: FieldValue, field: String) -> Bool {
        if stored == given { return true }
        if case .phone = type.field(field)?.kind, let a = stored.text, let b = given.text {
            return SpreadsheetText.phoneDigits(a) == SpreadsheetText.phoneDigits(b)
        }
        return false
    }
}

extension ImportableType {
    /// How a row of an import file is matched with a stored record (or another row).
    ///
    /// Every record, stored or in the file, is findable under its `keys`; a row looks itself up
    /// under one key, `lookup`. The member rule, for example: a member is findable by its phone
    /// number (digits only) and by its name with its employer; a row with a phone number looks
    /// up the phone number, a row without one its name and employer.
    public struct MatchRule: Sendable {
        /// The rule in words, for help texts and messages.
        public var summary: String
        public var keys: @Sendable ([String: FieldValue]) -> [MatchKey]
        public var lookup: @Sendable ([String: FieldValue]) -> MatchKey

        public init(
            summary: String, keys: @escaping @Sendable ([String: FieldValue]) -> [MatchKey],
            lookup: @escaping @Sendable ([String: FieldValue]) -> MatchKey
        ) {
            self.summary = summary
            self.keys = keys
            self.lookup = lookup
        }
    }

    /// One key a record can be found under: what it compares (`"phone number"`) and the compared
    /// text. Only `by` ever appears in messages; `value` is personal data.
    public struct MatchKey: Sendable, Hashable {
        public var by: String
        public var value: String

        public init(by: String, value: String) {
            self.by = by
            self.value = value
        }
    }
}
