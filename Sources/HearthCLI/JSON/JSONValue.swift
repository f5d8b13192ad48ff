/// A JSON value whose objects keep their keys in the order they were built.
///
/// The CLI's `--json` output is built from these so that keys come out in a stable, readable
/// order (`id` first, then the fields as declared) and non-ASCII text is written as is (UTF-8).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One key and its value inside an object.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// An object from key-value pairs, in the given order.
    public static func object(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(pairs.map { Member($0.key, $0.value) })
    }

    /// A string, or null when `text` is nil.
    public static func string(orNull text: String?) -> JSONValue {
        text.map { .string($0) } ?? .null
    }

    /// The value for `key` when this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}
