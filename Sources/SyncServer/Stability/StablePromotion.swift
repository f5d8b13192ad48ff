public import SyncCore

/// How a writer identity's stable number advances (PROTOCOL.md §22.2), the same in every store.
///
/// For each writer identity a store keeps:
/// - `settled`: every write of it up to this number has reached the server (its node reports
///   the number with its pulls, once a push left nothing pending; a retired identity is settled
///   at its highest write);
/// - `candidate` and `candidateSeq`: a settled number and the feed position when it was taken;
/// - `stable`: a candidate promoted once every registered, non-revoked node has pulled past its
///   feed position, so every node has seen every write of the identity up to it.
/// The stable numbers together are the stable vector. It only grows; each time it does, the
/// tombstones it covers are collected in the same transaction.
public struct WriterStability: Sendable, Hashable {
    public var writer: NodeID
    public var settled: Int64
    public var candidate: Int64
    public var candidateSeq: Int64
    public var stable: Int64

    public init(writer: NodeID, settled: Int64, candidate: Int64, candidateSeq: Int64, stable: Int64) {
        self.writer = writer
        self.settled = settled
        self.candidate = candidate
        self.candidateSeq = candidateSeq
        self.stable = stable
    }

    /// This identity after one promotion step, given where the slowest live node's pull has got
    /// to (`slowest`: the position it asked from when it last caught up, so it holds everything
    /// before) and the feed's latest position: a candidate every node has pulled past becomes
    /// stable, and a settled number beyond the stable one becomes the next candidate.
    public func promoted(slowest: Int64, latest: Int64) -> WriterStability {
        var next = self
        if next.candidate > next.stable, next.candidateSeq <= slowest { next.stable = next.candidate }
        if next.settled > next.stable, next.candidate <= next.stable {
            next.candidate = next.settled
            next.candidateSeq = latest
        }
        return next
    }
}

extension VersionVector {
    /// The stable vector of these writer identities.
    public init(stableOf writers: some Sequence<WriterStability>) {
        var counters: [NodeID: UInt64] = [:]
        for writer in writers where writer.stable > 0 { counters[writer.writer] = UInt64(writer.stable) }
        self.init(counters)
    }
}
