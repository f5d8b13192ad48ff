import GRDB
import Replica
public import SyncCore

/// The stable vector and tombstone collection in the SQLite store (PROTOCOL.md §22); the rule
/// is `WriterStability`'s, the numbers live in the `writer` table.
extension SQLiteServerStore {
    public func noteCaughtUp(_ node: NodeID, at time: Int64, pulledFrom cursor: Int64, settled: SettledWrites?)
        throws -> Int
    {
        let collected = try replica.write { transaction -> Int in
            let db = transaction.db
            try Self.noteActivity(of: node, at: time, pullCursor: cursor, pushed: 0, db)
            if let settled {
                // Never past the highest write of it merged here: a node that reports more than it
                // pushed would only make its own later writes look collected.
                try db.execute(
                    sql: """
                        UPDATE writer SET settled = max(settled, min(?, highest_counter))
                        WHERE writer_id = ? AND node_id = ?
                        """,
                    arguments: [Int64(clamping: settled.counter), settled.writer.rawValue, node.rawValue])
            }
            // A hub passes on the stable vector of its upstream; only the central office computes one.
            return serving == .central ? try Self.promote(transaction) : 0
        }
        if collected > 0 { replica.compactLog() }
        return collected
    }

    /// Promotes candidates every node has pulled past, takes new candidates, and adopts the
    /// resulting stable vector; returns how many tombstones that collected.
    static func promote(_ transaction: ReplicaTransaction) throws -> Int {
        let db = transaction.db
        // Every caught-up pull comes here: with thousands of nodes, each step must cost a
        // lookup, not a scan. Nothing unsettled (the usual case): nothing to promote.
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT writer_id, settled, candidate, candidate_seq, stable FROM writer WHERE settled > stable"))
        guard !rows.isEmpty else { return 0 }
        let latest = try Replica.latestFeedPosition(db)
        // Where the slowest live node's pull has got to: `last_pull_cursor` is the position a
        // node asked from when it caught up, which it had stored, so it has applied all before;
        // `vouched_cursor` is such a position its hub vouches for (a laptop syncing through it).
        let slowest =
            try Int64.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT min(max(last_pull_cursor, vouched_cursor)) FROM registered_node
                        WHERE revoked_at IS NULL
                        """)) ?? latest
        let update = try db.cachedStatement(
            sql: "UPDATE writer SET candidate = ?, candidate_seq = ?, stable = ? WHERE writer_id = ?")
        var grew = false
        for row in rows {
            let writer = WriterStability(
                writer: NodeID(trusted: row[0]), settled: row[1], candidate: row[2], candidateSeq: row[3],
                stable: row[4])
            let next = writer.promoted(slowest: slowest, latest: latest)
            if next != writer {
                try update.execute(arguments: [next.candidate, next.candidateSeq, next.stable, row[0]])
                grew = grew || next.stable != writer.stable
            }
        }
        // The stable vector is built from the writers' `stable`, and adopted whenever one rises:
        // none did, so it is the one adopted already.
        guard grew else { return 0 }
        var counters: [NodeID: UInt64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT writer_id, stable FROM writer WHERE stable > 0") {
            counters[NodeID(trusted: row[0])] = UInt64(row[1] as Int64)
        }
        return try transaction.adoptStableVector(VersionVector(counters))
    }

    /// Settles every writer identity of `node` at its highest write: it will write nothing more
    /// under them (a new identity was taken, or the node was revoked).
    static func retireWriters(of node: NodeID, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE writer SET settled = max(settled, highest_counter) WHERE node_id = ?",
            arguments: [node.rawValue])
    }
}
