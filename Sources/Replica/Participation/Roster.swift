public import SyncCore

/// Registration, check-in and cancellation of members for activities.
///
/// A participation is identified by its (member, activity) pair: its id is derived from the
/// pair, so two nodes registering the same person offline create one record, not two.
/// These rules guard local input; a merge of concurrent registrations may exceed capacity,
/// which `Attendance` then flags instead of dropping anyone.
public struct Roster {
    let transaction: ReplicaTransaction

    public init(_ transaction: ReplicaTransaction) {
        self.transaction = transaction
    }

    static let type = HearthSchema.participation

    public static func participationID(member: String, activity: String) -> String {
        DerivedID.make(type: type.name, key: [member, activity])
    }

    /// Registers a member for an activity; refuses duplicates and registrations past capacity.
    @discardableResult
    public func register(member: String, activity: String) throws -> RecordState {
        let (memberID, activityID) = try requireBoth(member: member, activity: activity)
        let activityState = try transaction.record(HearthSchema.activity, id: activityID)!
        let id = Self.participationID(member: memberID, activity: activityID)
        if let existing = try transaction.record(Self.type, id: id), !existing.isDeleted,
            existing.value("status") != .text("cancelled")
        {
            throw ReplicaError(.alreadyExists, "member \(memberID) is already registered for activity \(activityID)")
        }
        if let capacity = activityState.value("capacity").integer {
            let taken = try Attendance.activeCount(activity: activityID, transaction.db)
            if taken >= capacity {
                throw ReplicaError(.refused, "activity \(activityID) is full: \(taken) of \(capacity) places are taken")
            }
        }
        return try transaction.write(
            Self.type, id: id,
            [
                "memberId": .text(memberID), "activityId": .text(activityID), "status": .text("registered"),
                "checkedInAt": .null,
            ],
            mustExist: false)
    }

    /// Marks a registered member as attended, stamped with the check-in time.
    @discardableResult
    public func checkIn(member: String, activity: String, at time: String) throws -> RecordState {
        let current = try requireRegistration(member: member, activity: activity)
        switch current.value("status").text {
        case "attended":
            throw ReplicaError(.refused, "member \(current.value("memberId")) has already checked in to this activity")
        case "cancelled":
            throw ReplicaError(
                .refused, "this registration was cancelled; register the member again first (`hearth register`)")
        default:
            return try transaction.update(
                Self.type, id: current.id, ["status": .text("attended"), "checkedInAt": .text(time)])
        }
    }

    /// Cancels a registration.
    @discardableResult
    public func cancel(member: String, activity: String) throws -> RecordState {
        let current = try requireRegistration(member: member, activity: activity)
        if current.value("status") == .text("cancelled") {
            throw ReplicaError(.refused, "this registration is already cancelled")
        }
        return try transaction.update(Self.type, id: current.id, ["status": .text("cancelled")])
    }

    private func requireBoth(member: String, activity: String) throws -> (String, String) {
        guard let memberID = UUIDText.normalise(member) else {
            throw ReplicaError(
                .invalidInput, "'\(member.prefix(40))' is not a member id (a UUID); find it with `hearth member list`")
        }
        guard let activityID = UUIDText.normalise(activity) else {
            throw ReplicaError(
                .invalidInput,
                "'\(activity.prefix(40))' is not an activity id (a UUID); find it with `hearth activity list`")
        }
        guard let m = try transaction.record(HearthSchema.member, id: memberID), !m.isDeleted else {
            throw ReplicaError(.notFound, "no member with id \(memberID); list them with `hearth member list`")
        }
        guard let a = try transaction.record(HearthSchema.activity, id: activityID), !a.isDeleted else {
            throw ReplicaError(.notFound, "no activity with id \(activityID); list them with `hearth activity list`")
        }
        return (memberID, activityID)
    }

    private func requireRegistration(member: String, activity: String) throws -> RecordState {
        let (memberID, activityID) = try requireBoth(member: member, activity: activity)
        let id = Self.participationID(member: memberID, activity: activityID)
        guard let state = try transaction.record(Self.type, id: id), !state.isDeleted else {
            throw ReplicaError(
                .notFound,
                "member \(memberID) is not registered for activity \(activityID); run `hearth register` first")
        }
        return state
    }
}
