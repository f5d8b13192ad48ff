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

    /// The join of all writes after tombstone collection under `stable` (the server's stable
    /// vector, `TombstoneCollection`): a tombstone it covers is gone, and a record that was
    /// collected and then met again (revived by a write that had not seen the delete, or
    /// re-created over a tombstone the server had already forgotten) holds only what the
    /// collection rule leaves of it. `held` (the server's records) tells which records were met
    /// again that way: only there may the server's state be the stripped join.
    func collected(under stable: VersionVector, held: [String: RecordState]) -> [String: RecordState] {
        var result: [String: RecordState] = [:]
        for (key, joined) in expected {
            if TombstoneCollection.isCollectable(joined, stable: stable) { continue }
            if let server = held[key], server != joined,
                server == TombstoneCollection.strippingStable(joined, stable: stable)
            {
                result[key] = server
            } else {
                result[key] = joined
            }
        }
        return result
    }
}
