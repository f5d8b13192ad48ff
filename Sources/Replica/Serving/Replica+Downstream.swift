import GRDB
public import SyncCore

/// A node replica that serves the sync protocol to its own laptops (a center as a hub).
///
/// A server keeps a change feed (`Replica+Feed`); a node does not need one until it serves
/// downstream nodes. `startServingDownstream` turns the feed on, in one transaction: every record
/// the replica holds gets a feed entry, and from then on every write transaction keeps the feed
/// in step (`ReplicaTransaction.keepsFeed` reads the setting at the start of each transaction,
/// so another process that opened the file earlier keeps it too). A write that committed before
/// the switch is covered by the backfill, one after it writes its own entry: nothing is missed.
extension Replica {
    /// The settings key that says this node keeps a feed for downstream nodes.
    static let servesDownstreamKey = "serves_downstream"

    /// Whether this replica keeps a change feed for nodes that sync with it.
    public func servesDownstream() throws(ReplicaError) -> Bool {
        if role == .server { return true }
        return try read { reader in try reader.setting(Self.servesDownstreamKey) == "1" }
    }

    /// Turns on the change feed for downstream nodes (idempotent); returns true if it was off.
    @discardableResult
    public func startServingDownstream() throws(ReplicaError) -> Bool {
        guard role == .node else { return false }
        return try write { transaction in
            guard try transaction.setting(Self.servesDownstreamKey) != "1" else { return false }
            let insert = "INSERT OR IGNORE INTO feed (record_type, record_id, origin) SELECT ?, id, NULL FROM"
            for store in try allStores(transaction.db) {
                try transaction.db.execute(
                    sql: "\(insert) \(store.sql.table) ORDER BY rowid", arguments: [store.type.name])
            }
            try transaction.db.execute(sql: Self.createCheckpointTable)
            try transaction.setSetting(Self.servesDownstreamKey, "1")
            return true
        }
    }

    /// Where this node's feed stood each time it caught up with its upstream, and the upstream
    /// position it had pulled from: a laptop that caught up with this node past `feed_position`
    /// holds everything the upstream had before `upstream_cursor`. The hub vouches for its
    /// laptops with it, so that they do not hold the upstream's tombstone collection back.
    static let createCheckpointTable = """
        CREATE TABLE IF NOT EXISTS upstream_checkpoint (
            feed_position INTEGER PRIMARY KEY,
            upstream_cursor INTEGER NOT NULL)
        """
}

extension ReplicaTransaction {
    /// Notes, on a node that serves downstream, that it has caught up with its upstream from
    /// `upstreamCursor` (`Replica.createCheckpointTable`).
    func noteUpstreamCheckpoint(pulledFrom upstreamCursor: Int64) throws {
        guard keepsFeed, replica.role == .node else { return }
        try db.execute(
            sql: "INSERT OR REPLACE INTO upstream_checkpoint (feed_position, upstream_cursor) VALUES (?, ?)",
            arguments: [try Replica.latestFeedPosition(db), upstreamCursor])
    }

    /// Forgets the checkpoints: the upstream is another server now (restored, or replaced).
    func forgetUpstreamCheckpoints() throws {
        guard keepsFeed, replica.role == .node else { return }
        try db.execute(sql: "DELETE FROM upstream_checkpoint")
    }
}
