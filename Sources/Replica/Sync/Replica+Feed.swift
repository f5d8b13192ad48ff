import GRDB
public import SyncCore

/// One page of the change feed a server (or hub) serves to pulling nodes.
public struct FeedPage: Sendable, Hashable {
    public var states: [RecordState]
    /// The position to ask from next time.
    public var nextCursor: Int64
    /// True when more changes follow this page.
    public var hasMore: Bool
    /// The digest of everything, read in the same snapshot as the page.
    public var digest: ReplicaDigest
    /// The feed's last position at this snapshot.
    public var latest: Int64
}

/// What merging one pushed page did.
public struct PushApplyReport: Sendable, Hashable {
    public var applied = 0
    public var alreadyKnown = 0
    public var conflictsOpened = 0
}

extension Replica {
    /// Changes after `cursor` in feed order, leaving out states that came verbatim from `node`.
    ///
    /// The feed keeps one entry per record, moved to the end whenever the record changes, so
    /// a node that was away pulls each changed record once, in its latest state.
    public func feedPage(after cursor: Int64, for node: NodeID?, limit: Int) throws(ReplicaError) -> FeedPage {
        try read { reader in
            let db = reader.db
            let origin = try node.flatMap { try peers.existingIndex(of: $0, db) } ?? -1
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, record_type, record_id FROM feed
                    WHERE seq > ? AND (origin IS NULL OR origin != ?) ORDER BY seq LIMIT ?
                    """, arguments: [cursor, origin, limit])
            var states: [RecordState] = []
            states.reserveCapacity(rows.count)
            for row in rows {
                if let stored = try self.store(for: row[1]).load(id: row[2], db) { states.append(stored.state) }
            }
            let hasMore = rows.count == limit
            let latest = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM feed") ?? 0
            let next = hasMore ? rows.last![0] as Int64 : max(cursor, latest)
            return FeedPage(
                states: states, nextCursor: next, hasMore: hasMore, digest: try reader.digest(), latest: latest)
        }
    }

    /// Merges a page pushed by `node` in one transaction, after `authorize` accepted each
    /// state against what this replica already holds (the server's spoofing check).
    public func applyPushedPage(
        _ states: [RecordState], from node: NodeID,
        authorize: (_ incoming: RecordState, _ current: RecordState?) throws -> Void
    ) throws(ReplicaError) -> PushApplyReport {
        try write { transaction in
            var report = PushApplyReport()
            for state in states {
                _ = try catalog.require(state.type)
                let result = try transaction.apply(state, from: .downstream(node)) { current in
                    try authorize(state, current)
                }
                if result.changesLocalState { report.applied += 1 } else { report.alreadyKnown += 1 }
                report.conflictsOpened += result.conflictsOpened.count
            }
            return report
        }
    }
}
