public import Replica
public import SyncCore

extension RecordSnapshot {
    /// The record as a JSON object: `id`, then every declared field under its own (camelCase) name.
    ///
    /// Fields without a value are present as `null`, so every object of a type has the same keys.
    public var json: JSONValue {
        .object(
            [JSONValue.Member("id", .string(id))]
                + type.fields.map { JSONValue.Member($0.name, JSONValue(self[$0.name])) })
    }
}

extension JSONValue {
    /// A field value as JSON: text as a string, whole numbers as a number, no value as null.
    public init(_ value: FieldValue) {
        switch value {
        case .null: self = .null
        case .text(let text): self = .string(text)
        case .integer(let number): self = .integer(number)
        }
    }
}
