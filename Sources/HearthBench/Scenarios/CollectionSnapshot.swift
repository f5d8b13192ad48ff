import Replica
import SyncCore

/// What B10 measures at one moment: the node's and the server's files, and the node's digest
/// read both ways.
struct CollectionSnapshot {
    var node: FileFootprint
    var server: FileFootprint
    var tombstones: Int
    /// Median seconds to read the digest the replica keeps (what every sync compares).
    var digestRead: Double
    /// Median seconds to recompute the digest from every record, as `hearth check` does.
    var digestRecompute: Double

    /// The stored read takes microseconds, so it is sampled often; the recomputation reads the
    /// whole replica, so a few samples are enough.
    static let readSamples = 21
    static let recomputeSamples = 3

    /// Empties both replicas' logs into their files (as closing them would), then measures.
    static func take(node: Replica, server: Replica) throws -> CollectionSnapshot {
        guard node.compactLog(), server.compactLog() else {
            throw BenchFailure("B10: a reader kept a replica's log from being checkpointed; nothing else should read")
        }
        let nodeFile = try FileFootprint.of(node.path)
        let serverFile = try FileFootprint.of(server.path)
        let stored = try node.read { try $0.digest() }
        var reads: [Double] = []
        for _ in 0..<readSamples {
            reads.append(try Stopwatch.time { try node.read { try $0.digest() } }.seconds)
        }
        var recomputes: [Double] = []
        for _ in 0..<recomputeSamples {
            let (check, seconds) = try Stopwatch.time { try node.read { try $0.checkRecords() } }
            guard check.isSound, check.digest == stored else {
                throw BenchFailure(
                    "B10: the recomputed digest differs from the stored one (\(check.mismatched) records mismatched, "
                        + "\(check.unreadable) unreadable)")
            }
            recomputes.append(seconds)
        }
        return CollectionSnapshot(
            node: nodeFile, server: serverFile, tombstones: try node.tombstoneCount(),
            digestRead: FigureSummary.median(reads), digestRecompute: FigureSummary.median(recomputes))
    }
}
