import Foundation
public import Replica
public import SyncCore

/// Turns command-line option values into checked field values, through the record type's own parser.
///
/// Only options the user gave become values, which matters for sync: an edit writes (and stamps
/// with a new dot) only the fields it names, so concurrent edits of other fields merge cleanly.
/// An option given as an empty string clears that field (`--phone ""`).
public enum FieldInput {
    /// One option as given: the field it sets and its raw text, nil when the option was left out.
    public struct Given: Sendable, Hashable {
        public var field: String
        public var text: String?

        public init(_ field: String, _ text: String?) {
            self.field = field
            self.text = text
        }
    }

    /// The values to write: each given option parsed with `RecordType.parse`, left-out options skipped.
    ///
    /// Throws `.invalidInput` for the first option (in the order given) that breaks its field's kind.
    public static func values(_ type: RecordType, _ given: [Given]) throws(ReplicaError) -> [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        for option in given {
            guard let text = option.text else { continue }
            values[option.field] = try parse(type, option.field, text)
        }
        return values
    }

    /// Exact-match filters for `list`: given, non-empty options parsed like field input.
    ///
    /// An empty filter is ignored rather than matching records where the field has no value.
    public static func filters(_ type: RecordType, _ given: [Given]) throws(ReplicaError) -> [String: FieldValue] {
        try values(type, given).filter { !$0.value.isNull }
    }

    /// Parses one field's text, turning a validation failure into a refused-input `ReplicaError`.
    public static func parse(_ type: RecordType, _ field: String, _ text: String) throws(ReplicaError) -> FieldValue {
        do {
            return try type.parse(field, text: text)
        } catch {
            throw ReplicaError(.invalidInput, error.message)
        }
    }

    /// A record id typed by a person, checked to be a UUID and lowercased.
    public static func recordID(_ text: String, of type: RecordType) throws(ReplicaError) -> String {
        guard let id = UUIDText.normalise(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ReplicaError(
                .invalidInput,
                "'\(text.prefix(40))' is not \(article(type.name)) \(type.name) id (a UUID); "
                    + "find it with `hearth \(type.name) list`")
        }
        return id
    }

    static func article(_ word: String) -> String {
        guard let first = word.first else { return "a" }
        return "aeiou".contains(first) ? "an" : "a"
    }
}
