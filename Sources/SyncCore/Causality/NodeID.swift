/// The stable identity of one replica: a lowercase UUID string issued by the server.
///
/// Node ids order by their string form; that order is one of the inputs of the
/// deterministic conflict rule (see `Dot`), so it must never depend on the platform.
public struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Wraps a UUID string, normalising it to lowercase; returns nil for anything that is not a UUID.
    public init?(_ text: String) {
        guard let normalised = UUIDText.normalise(text) else { return nil }
        self.rawValue = normalised
    }

    /// Wraps a string already known to be a lowercase UUID (read back from our own storage).
    public init(trusted rawValue: String) {
        self.rawValue = rawValue
    }

    /// A fresh random node id.
    public static func random() -> NodeID {
        NodeID(trusted: UUIDText.random())
    }

    public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
    /// The first eight characters, enough for people to tell nodes apart in messages.
    public var short: String { String(rawValue.prefix(8)) }
}
