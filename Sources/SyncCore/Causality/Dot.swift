/// One write: the node that made it and that node's counter for it (1, 2, 3, …).
///
/// Dots are totally ordered by counter, then by node id. That order is the deterministic
/// tie-break of concurrent writes: every replica computes it alike from the dots alone,
/// so no wall clock, however wrong, can make a value win.
public struct Dot: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var node: NodeID
    public var counter: UInt64

    public init(node: NodeID, counter: UInt64) {
        self.node = node
        self.counter = counter
    }

    public static func < (lhs: Dot, rhs: Dot) -> Bool {
        if lhs.counter != rhs.counter { return lhs.counter < rhs.counter }
        return lhs.node < rhs.node
    }

    public var description: String { "\(node.short):\(counter)" }
}
