import SyncCore

/// What every replica must hold once all changes have reached it: for each record, the join
/// of every state that a committed local write produced, anywhere.
///
/// Record states form a join semilattice (`RecordMerge.join`), and every state a replica can
/// hold is a join of states produced by local writes. So after a full sync each replica must
/// hold exactly this join: not merely the same as the others (they could all have lost the
/// same write), but everything that was written, with every concurrent version kept.
struct ConvergenceModel {
    private(set) var expected: [String: RecordState] = [:]

    mutating func note(_ states: [RecordState]) {
        for state in states {
            let key = ReplicaContents.key(state)
            expected[key] = expected[key].map { RecordMerge.join($0, state) } ?? state
        }
    }

    var conflicts: Set<ReplicaContents.ConflictSignature> {
        ReplicaContents.conflicts(in: expected.values)
    }
}
