public import Replica
public import SyncCore

extension RosterOperations {
    /// A walk-in check-in: the member used (found or added), and the participation.
    public struct WalkInOutcome: Sendable, Hashable {
        public var outcome: Outcome
        public var member: RecordSnapshot
        /// True when the person was added as a new member; false when the phone number was a member's.
        public var memberAdded: Bool
        /// True when this check-in registered the member too; false when a registration was there.
        public var registered: Bool

        /// `hearth checkin --walk-in --json`: `{"memberAdded", "member", "participation"}`.
        public var json: JSONValue {
            .object(["memberAdded": .bool(memberAdded), "member": member.json, "participation": outcome.json])
        }
    }

    /// Adds a person who came without registering as a member (unless their phone number is
    /// already a member's), registers them for `activity` and checks them in, in one transaction.
    ///
    /// `person` holds checked member values with at least `name` and `phone`. When exactly one
    /// member has that phone number (digits compared, as `MemberLookup` does), that member is
    /// used and nothing of `person` is written to it; a registration already there is kept. Refuses
    /// a phone number several members share, a full activity (the capacity rule of `Roster`) and a
    /// second check-in; a refusal writes nothing, the new member included.
    public func checkInWalkIn(_ person: [String: FieldValue], activity: String, at time: String)
        throws(ReplicaError) -> WalkInOutcome
    {
        guard let stamp = ISOTimestamp(parsing: time) else {
            throw ReplicaError(.invalidInput, "the check-in time must be ISO 8601, like 2026-01-28T09:30:00+08:00")
        }
        guard let phone = person["phone"]?.text, person["name"]?.text != nil else {
            throw ReplicaError(.invalidInput, "a walk-in needs --name and --phone")
        }
        return try replica.write { transaction in
            let found = try MemberLookup(transaction.reader).members(withPhone: phone)
            guard found.count <= 1 else {
                throw ReplicaError(
                    .refused,
                    "that phone number belongs to \(found.count) members (\(found.map(\.id).joined(separator: ", "))); "
                        + "check in one of them by id instead of as a walk-in")
            }
            let member: RecordSnapshot
            if let existing = found.first {
                member = existing
            } else {
                member = RecordSnapshot(try transaction.insert(HearthSchema.member, person), type: HearthSchema.member)
            }
            let roster = Roster(transaction)
            let registered = try !isActivelyRegistered(member: member.id, activity: activity, transaction)
            if registered { try roster.register(member: member.id, activity: activity) }
            let state = try roster.checkIn(member: member.id, activity: activity, at: stamp.text)
            return WalkInOutcome(
                outcome: try Self.outcome(state, transaction), member: member, memberAdded: found.isEmpty,
                registered: registered)
        }
    }

    /// True when the member has a live registration for the activity that is not cancelled.
    private func isActivelyRegistered(member: String, activity: String, _ transaction: ReplicaTransaction) throws
        -> Bool
    {
        guard let activityID = UUIDText.normalise(activity) else { return false }
        let id = Roster.participationID(member: member, activity: activityID)
        guard let state = try transaction.record(HearthSchema.participation, id: id), !state.isDeleted else {
            return false
        }
        return state.value("status") != .text("cancelled")
    }
}
