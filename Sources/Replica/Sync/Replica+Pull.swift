import GRDB
public import SyncCore

/// What applying one pulled page did.
public struct PullApplyReport: Sendable, Hashable {
    public var received = 0
    /// Records whose local state changed.
    public var changed = 0
    public var conflictsOpened = 0
    public var conflictsClosed = 0
}

extension Replica {
    /// The server's change sequence position this node has pulled up to (0 before the first pull).
    public func pullCursor() throws(ReplicaError) -> Int64 {
        try read { reader in Int64(try reader.setting("pull_cursor") ?? "0") ?? 0 }
    }

    /// Applies one pulled page and stores the new cursor in the same transaction, so an
    /// interrupted pull resumes exactly where it stopped and a replayed page is harmless.
    public func applyPulledPage(_ states: [RecordState], cursor: Int64, nodeNames: [NodeID: String])
        throws(ReplicaError)
        -> PullApplyReport
    {
        try write { transaction in
            var report = PullApplyReport()
            try peers.rememberNames(nodeNames, transaction.db)
            for state in states {
                let result = try transaction.apply(state, from: .upstream)
                report.received += 1
                if result.changesLocalState { report.changed += 1 }
                report.conflictsOpened += result.conflictsOpened.count
                report.conflictsClosed += result.conflictsClosed.count
            }
            try transaction.setSetting("pull_cursor", String(cursor))
            return report
        }
    }

    /// Forgets the pull position, so the next pull starts from the beginning of the server's feed.
    public func resetPullCursor() throws(ReplicaError) {
        try write { transaction in try transaction.setSetting("pull_cursor", "0") }
    }

    /// Remembers display names of other nodes (learned from the server).
    public func rememberNodeNames(_ names: [NodeID: String]) throws(ReplicaError) {
        try write { transaction in try peers.rememberNames(names, transaction.db) }
    }
}
