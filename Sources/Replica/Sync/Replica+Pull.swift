import GRDB
public import SyncCore

/// What applying one pulled page did.
public struct PullApplyReport: Sendable, Hashable {
    public var received = 0
    /// Records whose local state changed.
    public var changed = 0
    public var conflictsOpened = 0
    public var conflictsClosed = 0
    /// Records removed: tombstones the stable vector covers, and what a re-synchronisation found
    /// the server had collected.
    public var collected = 0
    /// States of collected records that came back from upstream and were deleted again.
    public var zombiesDeleted = 0
}

extension Replica {
    /// The server's change sequence position this node has pulled up to (0 before the first pull).
    public func pullCursor() throws(ReplicaError) -> Int64 {
        try read { reader in Int64(try reader.setting("pull_cursor") ?? "0") ?? 0 }
    }

    /// Applies one pulled page and stores the new cursor in the same transaction, so an
    /// interrupted pull resumes exactly where it stopped and a replayed page is harmless.
    ///
    /// `stable`, sent with the last page of a pull, is the server's stable vector: the replica
    /// adopts it and collects the tombstones it covers, as the server did (`Replica+Collection`),
    /// and a re-synchronisation ends with its sweep. A state of a record this replica no longer
    /// holds whose whole history was stable when this replica last caught up is a zombie of a
    /// collected record (a server restored from an old backup sends them): it is deleted again
    /// over the zombie, so the server learns the delete too and nothing comes back.
    public func applyPulledPage(
        _ states: [RecordState], cursor: Int64, nodeNames: [NodeID: String], stable: VersionVector? = nil
    ) throws(ReplicaError) -> PullApplyReport {
        try applyFromUpstream(states, cursor: cursor, nodeNames: nodeNames, stable: stable)
    }

    /// Applies states the upstream signed (a change file from this node's hub) as a pulled page
    /// that moves no cursor: the next pull gets them again, already known.
    public func applyUpstreamStates(_ states: [RecordState]) throws(ReplicaError) -> PullApplyReport {
        try applyFromUpstream(states, cursor: nil, nodeNames: [:], stable: nil)
    }

    private func applyFromUpstream(
        _ states: [RecordState], cursor: Int64?, nodeNames: [NodeID: String], stable: VersionVector?
    ) throws(ReplicaError) -> PullApplyReport {
        try write { transaction in
            var report = PullApplyReport()
            try peers.rememberNames(nodeNames, transaction.db)
            let held = try transaction.reader.stableVector()
            let resyncing = try transaction.setting(Self.resyncKey) == "1"
            for state in states {
                if resyncing { try transaction.noteResyncSeen(state) }
                if !held.isEmpty, TombstoneCollection.isZombie(state, stable: held),
                    try transaction.record(typeNamed: state.type, id: state.id) == nil
                {
                    try transaction.deleteAgain(state)
                    report.received += 1
                    report.zombiesDeleted += 1
                    continue
                }
                let result = try transaction.apply(state, from: .upstream)
                report.received += 1
                if result.changesLocalState { report.changed += 1 }
                report.conflictsOpened += result.conflictsOpened.count
                report.conflictsClosed += result.conflictsClosed.count
            }
            let askedFrom = Int64(try transaction.setting("pull_cursor") ?? "0") ?? 0
            if let cursor { try transaction.setSetting("pull_cursor", String(cursor)) }
            if let stable {
                try transaction.noteUpstreamCheckpoint(pulledFrom: askedFrom)
                report.collected += try transaction.adoptStableVector(stable)
                if resyncing { report.collected += try transaction.finishResync(stable: held.merged(with: stable)) }
            }
            return report
        }
    }

    /// Forgets the pull position, so the next pull starts from the beginning of the server's feed,
    /// and marks this node's own records to be sent again: a server whose feed is behind the
    /// cursor lost entries (its database, or a hub's replica, was replaced by an older copy), and
    /// may have lost this node's writes with them.
    public func resetPullCursor() throws(ReplicaError) {
        try write { transaction in
            try transaction.setSetting("pull_cursor", "0")
            _ = try markOwnRecordsPending(transaction)
        }
    }

    /// Remembers display names of other nodes (learned from the server).
    public func rememberNodeNames(_ names: [NodeID: String]) throws(ReplicaError) {
        try write { transaction in try peers.rememberNames(names, transaction.db) }
    }
}
