/// For one record, the highest write counter seen from each node.
///
/// A missing entry means zero. Because a node's writes to a record are causally ordered on that
/// node, "counter n of node N seen" implies every earlier write of N to the record was seen too.
public struct VersionVector: Hashable, Sendable, CustomStringConvertible {
    public private(set) var counters: [NodeID: UInt64]

    public init(_ counters: [NodeID: UInt64] = [:]) {
        self.counters = counters.filter { $0.value > 0 }
    }

    public static let empty = VersionVector()

    public subscript(node: NodeID) -> UInt64 {
        counters[node] ?? 0
    }

    public var isEmpty: Bool { counters.isEmpty }

    /// True when the write `dot` is covered by this vector.
    public func contains(_ dot: Dot) -> Bool {
        self[dot.node] >= dot.counter
    }

    /// Records that `dot` was seen; a lower counter never lowers an entry.
    public mutating func add(_ dot: Dot) {
        if dot.counter > self[dot.node] { counters[dot.node] = dot.counter }
    }

    /// The pointwise maximum: everything either side has seen.
    public func merged(with other: VersionVector) -> VersionVector {
        var result = self
        result.merge(other)
        return result
    }

    public mutating func merge(_ other: VersionVector) {
        for (node, counter) in other.counters where counter > self[node] {
            counters[node] = counter
        }
    }

    /// Compares causal histories: `.before` means `self` happened before `other`.
    public func compare(to other: VersionVector) -> Causality {
        var selfAhead = false
        var otherAhead = false
        for (node, counter) in counters {
            let theirs = other[node]
            if counter > theirs { selfAhead = true } else if counter < theirs { otherAhead = true }
        }
        for (node, counter) in other.counters where counters[node] == nil && counter > 0 {
            otherAhead = true
        }
        switch (selfAhead, otherAhead) {
        case (false, false): return .equal
        case (true, false): return .after
        case (false, true): return .before
        case (true, true): return .concurrent
        }
    }

    /// True when every write seen by `self` was also seen by `other`.
    public func isDominated(by other: VersionVector) -> Bool {
        let relation = compare(to: other)
        return relation == .equal || relation == .before
    }

    /// Entries sorted by node id: the canonical order for digests, display and the wire.
    public var sortedEntries: [(node: NodeID, counter: UInt64)] {
        var entries = counters.map { (node: $0.key, counter: $0.value) }
        if entries.count > 1 { entries.sort { $0.node < $1.node } }
        return entries
    }

    public var description: String {
        "{" + sortedEntries.map { "\($0.node.short):\($0.counter)" }.joined(separator: ", ") + "}"
    }
}
