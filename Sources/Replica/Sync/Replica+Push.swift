import GRDB
public import SyncCore

/// A record state waiting to go upstream, with the `_meta` it had when it was read, so the
/// acknowledgement clears it only if nothing changed it in between.
public struct PendingRecord: Sendable, Hashable {
    public var state: RecordState
    public var stateTag: String
}

extension Replica {
    /// Up to `limit` records whose current state upstream may lack, referenced types first.
    public func pendingRecords(limit: Int) throws(ReplicaError) -> [PendingRecord] {
        try read { reader in
            var result: [PendingRecord] = []
            for type in catalog.types where result.count < limit {
                let store = try self.store(for: type.name)
                let ids = try String.fetchAll(
                    reader.db, sql: "SELECT id FROM \(store.sql.table) WHERE _pending = 1 LIMIT ?",
                    arguments: [limit - result.count])
                for id in ids {
                    if let stored = try store.load(id: id, reader.db) {
                        result.append(PendingRecord(state: stored.state, stateTag: stored.meta))
                    }
                }
            }
            return result
        }
    }

    /// The number of records whose state upstream may lack.
    public func pendingRecordCount() throws(ReplicaError) -> Int {
        try read { reader in
            var total = 0
            for type in catalog.types {
                total +=
                    try Int.fetchOne(
                        reader.db, sql: "SELECT count(*) FROM \(RecordTableSQL.quote(type.name)) WHERE _pending = 1")
                    ?? 0
            }
            return total
        }
    }

    /// Marks pushed records as held upstream, unless they changed since they were read.
    ///
    /// When nothing is pending any more, every own write so far has reached the server: the
    /// change-log watermark moves up to the current counter in the same transaction.
    public func acknowledge(_ records: [PendingRecord]) throws(ReplicaError) {
        try write { transaction in
            for record in records {
                let store = try self.store(for: record.state.type)
                let statement = try transaction.db.cachedStatement(
                    sql: "UPDATE \(store.sql.table) SET _pending = 0 WHERE id = ? AND _meta = ?")
                try statement.execute(arguments: [record.state.id, record.stateTag])
            }
            var stillPending = false
            for type in catalog.types where !stillPending {
                stillPending =
                    try Bool.fetchOne(
                        transaction.db,
                        sql: "SELECT EXISTS (SELECT 1 FROM \(RecordTableSQL.quote(type.name)) WHERE _pending = 1)")
                    ?? false
            }
            if !stillPending {
                try transaction.setSetting("pushed_counter", try transaction.setting("counter") ?? "0")
            }
        }
    }
}
