public import Replica
import SyncCore

/// Registration, check-in, cancellation and attendance, each in one replica transaction or snapshot.
///
/// The rules (no double registration, capacity, check-in only when registered) are `Roster`'s;
/// a refused operation throws a `ReplicaError` and changes nothing. A member is named by id or by
/// phone number (`MemberLookup`), found inside the same transaction as the write.
public struct RosterOperations: Sendable {
    /// A participation after a roster operation, with the names people recognise it by.
    public struct Outcome: Sendable, Hashable {
        public var participation: RecordSnapshot
        public var memberName: String
        public var activityTitle: String

        /// `hearth register|checkin|cancel --json`: the participation object.
        public var json: JSONValue { participation.json }
    }

    public let replica: Replica

    public init(replica: Replica) {
        self.replica = replica
    }

    /// Registers a member (id or phone number) for an activity.
    public func register(member: String, activity: String) throws(ReplicaError) -> Outcome {
        try run(member: member) { roster, memberID in try roster.register(member: memberID, activity: activity) }
    }

    /// Checks a registered member (id or phone number) in, stamping `time` (ISO 8601, see `LocalTimestamp`).
    public func checkIn(member: String, activity: String, at time: String) throws(ReplicaError) -> Outcome {
        guard let stamp = ISOTimestamp(parsing: time) else {
            throw ReplicaError(.invalidInput, "the check-in time must be ISO 8601, like 2026-01-28T09:30:00+08:00")
        }
        return try run(member: member) { roster, memberID in
            try roster.checkIn(member: memberID, activity: activity, at: stamp.text)
        }
    }

    public func cancel(member: String, activity: String) throws(ReplicaError) -> Outcome {
        try run(member: member) { roster, memberID in try roster.cancel(member: memberID, activity: activity) }
    }

    /// Who registered for a live activity and who came.
    public func attendance(activity: String) throws(ReplicaError) -> Attendance {
        try replica.read { reader in try Attendance.load(activity: activity, reader) }
    }

    private func run(member: String, _ operation: (Roster, String) throws -> RecordState) throws(ReplicaError)
        -> Outcome
    {
        try replica.write { transaction in
            let memberID = try MemberLookup(transaction.reader).memberID(for: member)
            return try Self.outcome(try operation(Roster(transaction), memberID), transaction)
        }
    }

    /// The participation `state` with the member's name and the activity's title.
    static func outcome(_ state: RecordState, _ transaction: ReplicaTransaction) throws -> Outcome {
        let member = try transaction.record(HearthSchema.member, id: state.value("memberId").description)
        let activity = try transaction.record(HearthSchema.activity, id: state.value("activityId").description)
        return Outcome(
            participation: RecordSnapshot(state, type: HearthSchema.participation),
            memberName: member?.value("name").description ?? "",
            activityTitle: activity?.value("title").description ?? "")
    }
}
