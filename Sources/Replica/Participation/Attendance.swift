import GRDB
import SyncCore

/// Who registered for an activity and who came, with the capacity check that merges may break.
public struct Attendance: Sendable {
    public struct Entry: Sendable, Hashable {
        public var participationID: String
        public var memberID: String
        /// The member's name, or nil if the member record is unknown here or deleted.
        public var memberName: String?
        public var status: String
        public var checkedInAt: String?
    }

    public var activity: RecordSnapshot
    public var entries: [Entry]

    public var registered: Int { entries.filter { $0.status != "cancelled" }.count }
    public var attended: Int { entries.filter { $0.status == "attended" }.count }
    public var cancelled: Int { entries.filter { $0.status == "cancelled" }.count }
    public var capacity: Int64? { activity["capacity"].integer }
    /// True when merged registrations from several nodes exceed the capacity: kept, but flagged.
    public var isOverCapacity: Bool { capacity.map { Int64(registered) > $0 } ?? false }

    /// Loads the attendance of a live activity.
    public static func load(activity id: String, _ reader: ReplicaReader) throws -> Attendance {
        guard let activityID = UUIDText.normalise(id) else {
            throw ReplicaError(
                .invalidInput, "'\(id.prefix(40))' is not an activity id (a UUID); find it with `hearth activity list`")
        }
        let activity = try reader.requireLive(HearthSchema.activity, id: activityID)
        let rows = try Row.fetchAll(
            reader.db,
            sql: """
                SELECT p.id, p.memberId, m.name, p.status, p.checkedInAt
                FROM participation p LEFT JOIN member m ON m.id = p.memberId AND m._deleted = 0
                WHERE p.activityId = ? AND p._deleted = 0
                ORDER BY m.name, p.memberId
                """, arguments: [activityID])
        let entries = rows.map { row in
            Entry(participationID: row[0], memberID: row[1], memberName: row[2], status: row[3], checkedInAt: row[4])
        }
        return Attendance(activity: RecordSnapshot(activity, type: HearthSchema.activity), entries: entries)
    }

    /// Live, non-cancelled registrations for an activity.
    static func activeCount(activity: String, _ db: Database) throws -> Int64 {
        try Int64.fetchOne(
            db,
            sql: "SELECT count(*) FROM participation WHERE activityId = ? AND _deleted = 0 AND status != 'cancelled'",
            arguments: [activity]) ?? 0
    }
}
