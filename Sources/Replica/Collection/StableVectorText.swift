import SyncCore

/// The stable vector as this replica keeps it in its settings and the wire carries it:
/// `writer:counter` pairs joined by `,`, writers sorted. Empty before anything is stable.
enum StableVectorText {
    static func encode(_ vector: VersionVector) -> String {
        vector.sortedEntries.map { "\($0.node.rawValue):\($0.counter)" }.joined(separator: ",")
    }

    /// Nil when the text is not in that form (a damaged setting is treated as nothing stable).
    static func decode(_ text: String) -> VersionVector? {
        var counters: [NodeID: UInt64] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: ":")
            guard parts.count == 2, let node = NodeID(String(parts[0])), let counter = UInt64(parts[1]) else {
                return nil
            }
            counters[node] = counter
        }
        return VersionVector(counters)
    }
}
