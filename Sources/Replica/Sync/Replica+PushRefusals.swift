import GRDB
public import SyncCore

/// A change of this replica that the server refused at the last push: it stays pending, is
/// offered again at every sync, and is shown by `hearth status` until the server takes it.
public struct PushRefusal: Sendable, Hashable {
    public var recordType: String
    public var recordID: String
    /// The server's code: `forbidden` or `invalid_change`.
    public var code: String
    /// The server's reason: names the record, field and write, never a value.
    public var message: String
    /// When it was refused, on this machine's clock (display only).
    public var refusedAt: Int64
}

extension Replica {
    /// Forgets the refusals of an earlier push: called as a new push pass starts.
    public func clearPushRefusals() throws(ReplicaError) {
        try write { transaction in try transaction.db.execute(sql: "DELETE FROM push_refusal") }
    }

    /// Notes that the server refused these records' current states (they stay pending).
    public func notePushRefusals(_ refusals: [(record: PendingRecord, code: String, message: String)])
        throws(ReplicaError)
    {
        guard !refusals.isEmpty else { return }
        try write { transaction in
            let statement = try transaction.db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO push_refusal (record_type, record_id, code, message, refused_at)
                    VALUES (?, ?, ?, ?, ?)
                    """)
            for refusal in refusals {
                try statement.execute(arguments: [
                    refusal.record.state.type, refusal.record.state.id, refusal.code, refusal.message,
                    transaction.wallTime,
                ])
            }
        }
    }
}

extension ReplicaReader {
    /// The changes the server refused at the last push, by record.
    public func pushRefusals() throws -> [PushRefusal] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT record_type, record_id, code, message, refused_at FROM push_refusal
                ORDER BY record_type, record_id
                """
        ).map { row in
            PushRefusal(
                recordType: row[0], recordID: row[1], code: row[2], message: row[3], refusedAt: row[4])
        }
    }
}
