/// What a pushed record state claims that its sender could not have written.
///
/// Its description names only the field (a declared name, checked before) and the dot: never
/// a value.
public struct AuthorshipViolation: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The vector claims writes of another node that the receiver has not seen.
        case foreignHistory
        /// A version under another node's dot that the receiver does not hold in that field.
        case foreignVersion
        /// A version the receiver holds is dropped without a new own write of that field.
        case droppedVersion
        /// A dot the receiver holds arrives with another value.
        case rewrittenVersion
        /// An own version under a dot the receiver has already seen for this record.
        case reusedDot
    }

    public var kind: Kind
    /// The field concerned; nil for `foreignHistory`.
    public var field: String?
    /// The node whose history is claimed (`foreignHistory`) or the dot's node.
    public var node: NodeID
    /// The dot concerned; nil for `foreignHistory`.
    public var dot: Dot?

    init(_ kind: Kind, node: NodeID) {
        self.kind = kind
        self.node = node
    }

    init(_ kind: Kind, field: String, dot: Dot) {
        self.kind = kind
        self.field = field
        self.node = dot.node
        self.dot = dot
    }

    public var description: String {
        let field = self.field ?? ""
        let dot = self.dot.map(String.init(describing:)) ?? ""
        switch kind {
        case .foreignHistory:
            return "it claims writes of node \(node.short) that the server has not seen; a node may only push its "
                + "own writes (and a hub those of its own laptops)"
        case .foreignVersion:
            return "field \(field) holds write \(dot) of node \(node.short), which the server does not hold there; "
                + "a node may only push its own writes (and a hub those of its own laptops)"
        case .droppedVersion:
            return "it drops write \(dot) of field \(field) without writing that field itself; "
                + "only a new write may replace another"
        case .rewrittenVersion:
            return "field \(field) holds write \(dot) with another value than the server holds; "
                + "a write, once made, cannot be altered: make a new write instead"
        case .reusedDot:
            return "field \(field) holds write \(dot), a write number the server has already seen for this record; "
                + "a write number names exactly one write"
        }
    }
}
