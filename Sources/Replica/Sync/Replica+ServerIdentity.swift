import GRDB
public import SyncCore

/// What this replica had to do to stay consistent with what the server says at the start of a sync.
public struct ServerReconciliation: Sendable, Hashable {
    /// The server is not the one this replica last synced with (it was restored from a backup):
    /// everything is pulled again and every record holding a write of this node is sent again.
    public var serverRestored = false
    /// The records marked to be sent again because the server was restored.
    public var recordsToResend = 0
    /// The server holds writes of this node that this replica does not (it was re-installed or
    /// restored from a backup): new writes now carry a new writer identity and continue after
    /// this number, and this node's own earlier writes are pulled back. Nil when nothing was lost.
    public var counterRaisedTo: UInt64?
    /// Writes made here that may have reused numbers of the lost copy, renumbered under the new
    /// writer identity so that both sides are kept.
    public var writesRenumbered = 0
    /// This replica may have missed tombstone collections (it is an older copy than the server
    /// knows, or its node was readmitted after a revoke): everything is pulled again and what the
    /// server collected meanwhile is removed, keeping this node's unsynced edits.
    public var resynchronising = false

    public init() {}

    public var changedAnything: Bool { serverRestored || counterRaisedTo != nil || resynchronising }
}

extension Replica {
    /// The settings key of the epoch of the server this replica last synced with.
    static let serverEpochKey = "server_epoch"
    /// The settings key of the epoch a node serving laptops serves them under (`server_epoch` is
    /// its upstream's).
    public static let hubEpochKey = "hub_epoch"
    /// Set while this replica must pull its own states back too; cleared by a complete pull.
    static let pullOwnKey = "pull_own"
    /// The writer identity taken when the server last said re-synchronise (a readmission);
    /// cleared when the re-synchronisation ends.
    static let readmissionWriterKey = "readmission_writer"

    /// The epoch of the server this replica last synced with (nil before the first sync).
    public func knownServerEpoch() throws(ReplicaError) -> String? {
        try read { reader in try reader.setting(Self.serverEpochKey) }
    }

    /// Brings this replica in line with the server's identity and its record of this node's
    /// writes, in one transaction, before anything is pushed.
    ///
    /// - A different server epoch than last time means a restored server: the pull starts
    ///   again from 0 and every record holding a write of this node becomes pending again, so
    ///   whatever the restore lost comes back from here.
    /// - A server that holds a write of this replica's writer that the replica does not (a higher
    ///   number than its counter, or the newest write it was told of under another tag) means the
    ///   replica lost writes (a re-install, a restored backup, a power loss). It takes a new
    ///   writer identity whose numbers continue after everything the server has seen, moves its
    ///   writes the server never acknowledged onto it, and pulls its own states back, so no dot
    ///   names two writes and nothing either copy wrote is lost.
    ///
    /// - A replica whose pull cursor is behind where the server recorded this node's pull (an
    ///   older copy), or whose node was readmitted after a revoke (`mustResync`), may have missed
    ///   tombstone collections: it re-synchronises (`ReplicaTransaction.beginResync`). A readmitted
    ///   node also takes a new writer identity for the writes it never pushed, as the server
    ///   settled its old ones when it was revoked; once per readmission, although the server
    ///   says re-synchronise at every session until the node's pull from 0 reaches it.
    public func reconcile(
        serverEpoch: String, server lineage: WriteLineage, highestCounter: UInt64, pulledThrough: Int64 = 0,
        mustResync: Bool = false
    ) throws(ReplicaError) -> ServerReconciliation {
        try write { transaction in
            var outcome = ServerReconciliation()
            let known = try transaction.setting(Self.serverEpochKey)
            let cursor = Int64(try transaction.setting("pull_cursor") ?? "0") ?? 0
            let resyncing = try transaction.setting(Self.resyncKey) == "1"
            if let known, known != serverEpoch {
                outcome.serverRestored = true
                outcome.recordsToResend = try markOwnRecordsPending(transaction)
                try transaction.setSetting("pull_cursor", "0")
                try transaction.forgetUpstreamCheckpoints()
            }
            if known != serverEpoch { try transaction.setSetting(Self.serverEpochKey, serverEpoch) }
            let floor = max(highestCounter, lineage.counter)
            let holdsNewest = try transaction.holdsWrite(counter: lineage.counter, tag: lineage.tag)
            let lost = floor > transaction.counter || !holdsNewest
            let acknowledged = UInt64(try transaction.setting("pushed_counter") ?? "0") ?? 0
            // The server says re-synchronise until the node's pull from 0 reaches it; an identity
            // taken for this readmission is fresh (the server retired only the older ones), so
            // a session after a sync cut short does not renumber again: that would duplicate the
            // writes which reached the server under it, and retire it while they may still arrive.
            let takenForReadmission =
                try transaction.setting(Self.readmissionWriterKey) == transaction.writer.rawValue
            if lineage.writer == transaction.writer, lost || (mustResync && !takenForReadmission) {
                outcome.writesRenumbered = try transaction.restampOwnWrites(
                    after: min(acknowledged, transaction.counter), floor: floor)
                if lost { outcome.counterRaisedTo = floor }
                if mustResync { try transaction.setSetting(Self.readmissionWriterKey, transaction.writer.rawValue) }
            }
            let olderCopy = known == serverEpoch && cursor < pulledThrough
            if !resyncing, lost || mustResync || olderCopy {
                try transaction.beginResync()
                outcome.resynchronising = true
            }
            if lost || olderCopy, transaction.keepsFeed, role == .node {
                // This center is an older copy of itself: its laptops may have handed it writes
                // the copy lacks. A new epoch of its own makes them pull again and send their
                // records again (§23.1), as the center does with its own upstream.
                try transaction.setSetting(Self.hubEpochKey, UUIDText.random())
            }
            return outcome
        }
    }

    /// Whether the next pull must include this node's own states (see `reconcile`).
    public func pullsOwnStates() throws(ReplicaError) -> Bool {
        try read { reader in try reader.setting(Self.pullOwnKey) == "1" }
    }

    /// Notes that a pull including this node's own states has completed.
    public func finishPullingOwnStates() throws(ReplicaError) {
        try write { transaction in try transaction.setSetting(Self.pullOwnKey, nil) }
    }

    /// Marks pending every record whose vector holds a write of this node; returns how many.
    func markOwnRecordsPending(_ transaction: ReplicaTransaction) throws -> Int {
        let own = try transaction.reader.ownWriters()
        var marked = 0
        for store in try allStores(transaction.db) {
            let ids = try String.fetchAll(transaction.db, sql: "SELECT id FROM \(store.sql.table) WHERE _pending = 0")
            let mark = try transaction.db.cachedStatement(
                sql: "UPDATE \(store.sql.table) SET _pending = 1 WHERE id = ?")
            for id in ids {
                guard let stored = try store.load(id: id, transaction.db),
                    own.contains(where: { stored.state.vector[$0] > 0 })
                else {
                    continue
                }
                try mark.execute(arguments: [id])
                marked += 1
            }
        }
        return marked
    }
}
