/// A change that is well-formed JSON but does not describe a valid record state (HTTP 422).
///
/// The messages name the record and field, never values: bodies carry personal data.
public struct WireFormatError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    // The checks of PROTOCOL.md §6 that need no schema. `WireChange.recordState()` and
    // `WireCodec` make them alike, so both name a problem the same way.

    static func malformedID(type: String) -> Self { Self("change for \(type) has a malformed id") }

    static func malformedVectorNode(record: String) -> Self {
        Self("change \(record) has a malformed node id in its vector")
    }

    static func malformedDot(record: String, field: String) -> Self {
        Self("change \(record) field \(field) has a malformed dot")
    }

    static func noVersions(record: String, field: String) -> Self {
        Self("change \(record) field \(field) has no versions")
    }
}
