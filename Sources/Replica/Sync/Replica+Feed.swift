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
        let given = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'feed'") ?? 0
        let held = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM feed") ?? 0
        return max(given, held)
    }

    /// Merges a page pushed by `node` in one transaction, change by change.
    ///
    /// `authorize` sees each change with what this replica holds and the merge result, before
    /// anything of it is stored, and returns why the sender may not make it (nil when it may).
    /// A change it refuses, or that breaks the declarations, is left out and reported; the rest
    /// of the page is merged. Only a storage failure fails the page as a whole.
    ///
    /// A change for a record this replica does not hold loses its versions under the stable
    /// vector first (the record was collected: `TombstoneCollection.strippingStable`); one with
    /// nothing left is dropped. Both are reported as collected, so the sender does the same, and
    /// a stripped state stays in the sender's own feed, for when it does not learn it that way.
    /// A change for a record held here loses the versions under the stable vector that this
    /// replica no longer holds (`TombstoneCollection.strippingForgotten`): a sender that never
    /// learned of the stripping carries them still.
    public func applyPushedPage(
        _ states: [RecordState], from node: NodeID,
        authorize: (_ change: PushedChange) -> String?
    ) throws(ReplicaError) -> PushApplyReport {
        try write { transaction in
            var report = PushApplyReport()
            let stable = try transaction.reader.stableVector()
            report.stable = stable
            for (index, pushed) in states.enumerated() {
                // A record collected here and met again: stored stripped, and reported so that
                // the sender strips its copy alike.
                var metAgain = false
                var refusal: String?
                let result: RecordMerge.Result
                do {
                    result = try transaction.apply(pushed, from: .downstream(node)) { incoming, current in
                        guard !stable.isEmpty else { return incoming }
                        if let current {
                            // Versions stripped when the record was met again, which the sender
                            // still carries: not reported (its copy holds stable versions kept here
                            // too); it pulls the stored state back instead.
                            return TombstoneCollection.strippingForgotten(incoming, held: current, stable: stable)
                        }
                        guard let kept = TombstoneCollection.strippingStable(incoming, stable: stable) else {
                            throw CollectedZombie()
                        }
                        metAgain = kept != incoming
                        return kept
                    } accept: { adjusted, current, result in
                        refusal = authorize(
                            PushedChange(incoming: adjusted, current: current, result: result, stable: stable))
                        if refusal != nil { throw AuthorizationRefused() }
                    }
                } catch is CollectedZombie {
                    report.collected.append(index)
                    continue
                } catch is AuthorizationRefused {
                    report.refused.append(ChangeRefusal(index: index, reason: .forbidden, message: refusal ?? ""))
                    continue
                } catch let error as ReplicaError where error.code == .invalidInput {
                    report.refused.append(
                        ChangeRefusal(
                            index: index, reason: .invalid, message: "change \(pushed.id): \(error.message)"))
                    continue
                }
                if metAgain { report.collected.append(index) }
                if result.changesLocalState { report.applied += 1 } else { report.alreadyKnown += 1 }
                report.conflictsOpened += result.conflictsOpened.count
            }
            return report
        }
    }
}

/// One pushed change as the receiver checks it: the state (after the collection rule), what the
/// receiver holds (nil: not held), the merge result, and the stable vector.
public struct PushedChange {
    public var incoming: RecordState
    public var current: RecordState?
    public var result: RecordMerge.Result
    public var stable: VersionVector
}

/// Thrown out of `apply` to leave a change unstored when `authorize` refused it.
private struct AuthorizationRefused: Error {}

/// Thrown out of `apply` to leave a change unstored that is only history of a collected record.
private struct CollectedZombie: Error {}
