import Replica
import SyncCore

/// What a replica held around one change-file import, to check that the import lost nothing
/// and took in what it did not refuse (`ChangeFileCourier`).
struct ImportSnapshot {
    var digest: ReplicaDigest
    var stable: VersionVector
    /// Every record, tombstones included, by `ReplicaContents.key`.
    var states: [String: RecordState]

    init(_ replica: Replica) throws {
        (digest, states) = try replica.read { reader in
            let states = try ReplicaContents.allStates(reader)
            return (try reader.digest(), Dictionary(states.map { (ReplicaContents.key($0), $0) }) { first, _ in first })
        }
        stable = try replica.stableVector()
    }

    /// Records held before (`self`) that `after` lost or holds an older state of: an import
    /// only merges, and collects nothing.
    func losses(comparedWith after: ImportSnapshot, at name: String) -> [String] {
        let lost = states.filter { key, state in
            guard let kept = after.states[key] else { return true }
            return !state.vector.isDominated(by: kept.vector)
        }
        guard let (key, state) = lost.min(by: { $0.key < $1.key }) else { return [] }
        return [
            "\(name): an import lost \(lost.count) records or went back on them, e.g. \(key): was "
                + "\(ConvergenceChecker.describe(state)), now \(ConvergenceChecker.describe(after.states[key]))"
        ]
    }

    /// The file's states (`self` read after the import) whose writes this replica does not hold
    /// although it did not refuse them (`refused`: positions in the file): every write of a state
    /// that is not under the stable vector must be covered by the record's vector here.
    func missing(_ imported: [RecordState], refused: Set<Int>, at name: String) -> [String] {
        var missing: [String] = []
        for (index, state) in imported.enumerated() where !refused.contains(index) {
            let held = states[ReplicaContents.key(state)]?.vector ?? .empty
            let uncovered = state.vector.counters.filter { writer, counter in
                counter > stable[writer] && counter > held[writer]
            }
            if !uncovered.isEmpty { missing.append(ReplicaContents.key(state)) }
        }
        guard let first = missing.first else { return [] }
        return ["\(name): \(missing.count) imported changes it did not refuse are not held, e.g. \(first)"]
    }
}
