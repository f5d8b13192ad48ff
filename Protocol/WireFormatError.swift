/// A change that is well-formed JSON but does not describe a valid record state (HTTP 422).
///
/// The messages name the record and field, never values: bodies carry personal data. A type or
/// field name is shown only when it is an identifier of at most 64 characters.
public struct WireFormatError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    // The checks of PROTOCOL.md §6 that need no schema. `WireChange.recordState()` and
    // `WireCodec` make them alike, so both name a problem the same way.

    static func malformedID(type: String) -> Self { Self("change for \(shown(type)) has a malformed id") }

    static func malformedVectorNode(record: String) -> Self {
        Self("change \(record) has a malformed node id in its vector")
    }

    static func malformedDot(record: String, field: String) -> Self {
        Self("change \(record) field \(shown(field)) has a malformed dot")
    }

    static func noVersions(record: String, field: String) -> Self {
        Self("change \(record) field \(shown(field)) has no versions")
    }

    /// A sender's type or field name as it may appear in a message: short identifiers only (the
    /// names a schema uses); anything else, which may be personal text of any length, is withheld.
    static func shown(_ name: String) -> String {
        WireJSONError.isShowable(name) ? name : "<withheld>"
    }
}
