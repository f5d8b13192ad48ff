import GRDB
public import SyncCore

/// A record state waiting to go upstream, with the `_meta` it had when it was read, so the
/// acknowledgement clears it only if nothing changed it in between.
public struct PendingRecord: Sendable, Hashable {
    public var state: RecordState
    public var stateTag: String
}

/// Where a pass over the pending records has got to: a record type (in catalog order) and a
/// rowid within it. Pages read from successive positions never overlap, so the next page can be
/// read while the previous one is still on its way to the server.
public struct PendingPosition: Sendable, Hashable {
    var typeIndex = 0
    var rowid: Int64 = 0

    /// Before the first pending record.
    public static let start = PendingPosition()
}

extension Replica {
    /// Up to `limit` records whose current state upstream may lack, referenced types first.
    public func pendingRecords(limit: Int) throws(ReplicaError) -> [PendingRecord] {
        try pendingRecords(after: .start, limit: limit).records
    }

    /// Up to `limit` pending records after `position`, and the position after the last of them.
    ///
    /// A record written again after the pass went by keeps its rowid, so this pass does not
    /// see it again; it stays pending for the next sync.
    public func pendingRecords(after position: PendingPosition, limit: Int) throws(ReplicaError) -> (
        records: [PendingRecord], next: PendingPosition
    ) {
        try read { reader in
            var result: [PendingRecord] = []
            var position = position
            let stores = try allStores(reader.db)
            while position.typeIndex < stores.count, result.count < limit {
                let store = stores[position.typeIndex]
                let wanted = limit - result.count
                let rows = try Row.fetchAll(
                    reader.db,
                    sql: """
                        SELECT rowid, id, _meta FROM \(store.sql.table)
                        WHERE _pending = 1 AND rowid > ? ORDER BY rowid LIMIT ?
                        """,
                    arguments: [position.rowid, wanted])
                for row in rows {
                    if let stored = try store.load(id: row[1], reader.db) {
                        // `_meta` changes with every state change, so it tags this state cheaply.
                        result.append(PendingRecord(state: stored.state, stateTag: row[2]))
                    }
                }
                if rows.count == wanted, let last = rows.last {
                    // The type may hold more: continue after the last one next time.
                    position.rowid = last[0]
                } else {
                    position = PendingPosition(typeIndex: position.typeIndex + 1, rowid: 0)
                }
            }
            return (result, position)
        }
    }

    /// The number of records whose state upstream may lack.
    public func pendingRecordCount() throws(ReplicaError) -> Int {
        try read { reader in try reader.pendingRecordCount() }
    }

    /// Marks pushed records as held upstream, unless they changed since they were read.
    ///
    /// When nothing is pending any more, every own write so far has reached the server: the
    /// change-log watermark moves up to the current counter in the same transaction.
    ///
    /// `collected` are pushed records the server had collected: it stored them without their
    /// versions under `stable`, or dropped them, and this replica's copies follow
    /// (`ReplicaTransaction.settleCollected`).
    public func acknowledge(
        _ records: [PendingRecord], collected: [PendingRecord] = [], stable: VersionVector = .empty
    ) throws(ReplicaError) {
        try write { transaction in
            for record in collected {
                try transaction.settleCollected(record.state, stateTag: record.stateTag, stable: stable)
            }
            for record in records {
                let store = try self.store(for: record.state.type)
                let statement = try transaction.db.cachedStatement(
                    sql: "UPDATE \(store.sql.table) SET _pending = 0 WHERE id = ? AND _meta = ?")
                try statement.execute(arguments: [record.state.id, record.stateTag])
            }
            var stillPending = false
            for store in try allStores(transaction.db) where !stillPending {
                stillPending =
                    try Bool.fetchOne(
                        transaction.db, sql: "SELECT EXISTS (SELECT 1 FROM \(store.sql.table) WHERE _pending = 1)")
                    ?? false
            }
            if !stillPending {
                try transaction.setSetting("pushed_counter", try transaction.setting("counter") ?? "0")
            }
        }
    }
}
