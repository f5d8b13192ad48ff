public import GRDB
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
    /// The stable vector at this snapshot (`Replica+Collection`).
    public var stable: VersionVector

    public init(
        states: [RecordState], nextCursor: Int64, hasMore: Bool, digest: ReplicaDigest, latest: Int64,
        stable: VersionVector
    ) {
        self.states = states
        self.nextCursor = nextCursor
        self.hasMore = hasMore
        self.digest = digest
        self.latest = latest
        self.stable = stable
    }
}

/// What merging one pushed page did.
public struct PushApplyReport: Sendable, Hashable {
    public var applied = 0
    public var alreadyKnown = 0
    public var conflictsOpened = 0
    /// The changes left out, in page order; everything else in the page was merged.
    public var refused: [ChangeRefusal] = []
    /// Changes of records this replica had collected, stripped of their stable versions before
    /// merging or, with nothing left, dropped (by position in the page).
    public var collected: [Int] = []
    /// The stable vector the page was checked against.
    public var stable: VersionVector = .empty
}

/// One pushed change that was not merged, and why. The rest of its page still is.
public struct ChangeRefusal: Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable {
        /// The sender could not have written it (another node's write, a dropped or altered version).
        case forbidden
        /// It breaks the declarations (an undeclared type or field, a value of the wrong kind).
        case invalid
    }

    /// The change's position in its page (from 0): it names the change without echoing it.
    public var index: Int
    public var reason: Reason
    /// What is wrong and what to do; names declared types and fields and dots, never values.
    public var message: String

    public init(index: Int, reason: Reason, message: String) {
        self.index = index
        self.reason = reason
        self.message = message
    }
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
            // Kept record types another process created since this one looked.
            try opaque.refresh(db, declared: catalog)
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT seq, record_type, record_id FROM feed
                        WHERE seq > ? AND (origin IS NULL OR origin != ?) ORDER BY seq LIMIT ?
                        """), arguments: [cursor, origin, limit])
            var states: [RecordState] = []
            states.reserveCapacity(rows.count)
            for row in rows {
                if let stored = try self.store(for: row[1]).load(id: row[2], db) { states.append(stored.state) }
            }
            let hasMore = rows.count == limit
            // The highest position ever given, not the highest held: collection removes entries,
            // and a node that pulled the last one must not find the feed behind its cursor.
            let latest = try Self.latestFeedPosition(db)
            let next = hasMore ? rows.last![0] as Int64 : max(cursor, latest)
            return FeedPage(
                states: states, nextCursor: next, hasMore: hasMore, digest: try reader.digest(), latest: latest,
                stable: try reader.stableVector())
        }
    }

    /// The highest feed position ever given (the feed's `AUTOINCREMENT` sequence), 0 for none.
    public static func latestFeedPosition(_ db: Database) throws -> Int64 {
        // Cached: every pull and every live-sync wait asks.
        let given =
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'feed'")) ?? 0
        let held = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(seq) FROM feed")) ?? 0
        return max(given, held)
    }

    /// Merges a page pushed by `node` in one transaction, change by change, by the rules of
    /// `PushedPageMerge`: this replica only loads the page's records and saves what the merge
    /// plans. Only a storage failure fails the page as a whole.
    public func applyPushedPage(
        _ states: [RecordState], from node: NodeID,
        authorize: (_ change: PushedChange) -> String?
    ) throws(ReplicaError) -> PushApplyReport {
        try write { transaction in
            var stored: [RecordKey: StoredRecord] = [:]
            for state in states {
                let key = RecordKey(type: state.type, id: state.id)
                if stored[key] == nil, let record = try transaction.storedRecord(typeNamed: state.type, id: state.id) {
                    stored[key] = record
                }
            }
            let merge = PushedPageMerge(
                states, held: stored.mapValues(\.state), stable: try transaction.reader.stableVector(),
                catalog: catalog, authorize: authorize)
            for write in merge.writes {
                let key = RecordKey(type: write.state.type, id: write.state.id)
                try transaction.storePushed(
                    write.state, replacing: stored[key], from: node, sendersOwn: write.isSendersOwn)
            }
            return merge.report
        }
    }
}

/// One pushed change as the receiver checks it: the state (after the collection rule), what the
/// receiver holds (nil: not held), the merge result, and the stable vector.
public struct PushedChange {
    public init(incoming: RecordState, current: RecordState?, result: RecordMerge.Result, stable: VersionVector) {
        self.incoming = incoming
        self.current = current
        self.result = result
        self.stable = stable
    }

    public var incoming: RecordState
    public var current: RecordState?
    public var result: RecordMerge.Result
    public var stable: VersionVector
}
