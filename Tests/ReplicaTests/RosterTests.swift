import Foundation
import Replica
import SyncCore
import Testing

@Suite("Roster and attendance")
struct RosterTests {
    let member = HearthSchema.member
    let activity = HearthSchema.activity

    /// A replica with two members and one activity of the given capacity.
    func setUp(_ scratch: Scratch, capacity: Int64? = nil) throws -> (Replica, [String], String) {
        let replica = try scratch.replica("沙头服务中心", nodeID: .fixed(1))
        let (members, event) = try replica.write { tx in
            let members = try ["张三", "李四", "王小明"].map { try tx.insert(member, ["name": .text($0)]).id }
            var values: [String: FieldValue] = [
                "title": .text("育婴员技能比赛"), "kind": .text("contest"), "startsAt": .text("2026-04-18T09:00"),
            ]
            if let capacity { values["capacity"] = .integer(capacity) }
            return (members, try tx.insert(activity, values).id)
        }
        return (replica, members, event)
    }

    @Test func registeringTheSameMemberTwiceIsRefused() throws {
        try withScratch { scratch in
            let (replica, members, event) = try setUp(scratch)
            let registration = try replica.write { tx in try Roster(tx).register(member: members[0], activity: event) }
            #expect(registration.id == Roster.participationID(member: members[0], activity: event))
            #expect(registration.value("status") == .text("registered"))
            let before = try replica.read { try $0.count(table: "change_log") }
            let error = #expect(throws: ReplicaError.self) {
                try replica.write { tx in try Roster(tx).register(member: members[0].uppercased(), activity: event) }
            }
            #expect(error?.code == .alreadyExists)
            #expect(try replica.read { try $0.count(table: "change_log") } == before)
            #expect(try replica.read { try $0.count(HearthSchema.participation) } == 1)
        }
    }

    @Test func insertingAParticipationPairTwiceIsRefused() throws {
        try withScratch { scratch in
            let (replica, members, event) = try setUp(scratch)
            let values: [String: FieldValue] = [
                "memberId": .text(members[1]), "activityId": .text(event), "status": .text("registered"),
            ]
            let first = try replica.write { tx in try tx.insert(HearthSchema.participation, values) }
            #expect(first.id == Roster.participationID(member: members[1], activity: event))
            let error = #expect(throws: ReplicaError.self) {
                try replica.write { tx in try tx.insert(HearthSchema.participation, values) }
            }
            #expect(error?.code == .alreadyExists)
        }
    }

    @Test func registeringPastCapacityIsRefused() throws {
        try withScratch { scratch in
            let (replica, members, event) = try setUp(scratch, capacity: 2)
            try replica.write { tx in
                try Roster(tx).register(member: members[0], activity: event)
                try Roster(tx).register(member: members[1], activity: event)
            }
            let error = #expect(throws: ReplicaError.self) {
                try replica.write { tx in try Roster(tx).register(member: members[2], activity: event) }
            }
            #expect(error?.code == .refused)
            #expect(error?.message.contains("full") == true)
            // A cancellation frees a place.
            try replica.write { tx in try Roster(tx).cancel(member: members[0], activity: event) }
            try replica.write { tx in try Roster(tx).register(member: members[2], activity: event) }
            let attendance = try replica.read { try Attendance.load(activity: event, $0) }
            #expect(attendance.registered == 2)
            #expect(attendance.cancelled == 1)
            #expect(!attendance.isOverCapacity)
        }
    }

    @Test func zeroCapacityTakesNobody() throws {
        try withScratch { scratch in
            let (replica, members, event) = try setUp(scratch, capacity: 0)
            let error = #expect(throws: ReplicaError.self) {
                try replica.write { tx in try Roster(tx).register(member: members[0], activity: event) }
            }
            #expect(error?.code == .refused)
        }
    }

    @Test func checkInRequiresARegistration() throws {
        try withScratch { scratch in
            let (replica, members, event) = try setUp(scratch)
            let error = #expect(throws: ReplicaError.self) {
                try replica.write { tx in
                    try Roster(tx).checkIn(member: members[0], activity: event, at: "2026-04-18T09:05")
                }
            }
            #expect(error?.code == .notFound)
            #expect(error?.message.contains("hearth register") == true)
            #expect(try replica.read { try $0.count(HearthSchema.participation) } == 0)
        }
    }

    @Test func checkInMarksAttendanceOnceAndCancelledMembersMustRegisterAgain() throws {
        try withScratch { scratch in
            let (replica, members, event) = try setUp(scratch)
            try replica.write { tx in
                try Roster(tx).register(member: members[0], activity: event)
                try Roster(tx).register(member: members[1], activity: event)
            }
            let attended = try replica.write { tx in
                try Roster(tx).checkIn(member: members[0], activity: event, at: "2026-04-18T09:05")
            }
            #expect(attended.value("status") == .text("attended"))
            #expect(attended.value("checkedInAt") == .text("2026-04-18T09:05"))
            let twice = #expect(throws: ReplicaError.self) {
                try replica.write { tx in
                    try Roster(tx).checkIn(member: members[0], activity: event, at: "2026-04-18T09:06")
                }
            }
            #expect(twice?.code == .refused)

            try replica.write { tx in try Roster(tx).cancel(member: members[1], activity: event) }
            let cancelled = #expect(throws: ReplicaError.self) {
                try replica.write { tx in
                    try Roster(tx).checkIn(member: members[1], activity: event, at: "2026-04-18T09:07")
                }
            }
            #expect(cancelled?.code == .refused)
            let cancelTwice = #expect(throws: ReplicaError.self) {
                try replica.write { tx in try Roster(tx).cancel(member: members[1], activity: event) }
            }
            #expect(cancelTwice?.code == .refused)
            try replica.write { tx in try Roster(tx).register(member: members[1], activity: event) }

            let attendance = try replica.read { try Attendance.load(activity: event, $0) }
            #expect(attendance.registered == 2)
            #expect(attendance.attended == 1)
            #expect(attendance.entries.map(\.memberName).sorted { ($0 ?? "") < ($1 ?? "") } == ["张三", "李四"])
            #expect(attendance.activity["title"] == .text("育婴员技能比赛"))
        }
    }

    @Test func registrationNeedsLiveRecordsAndWellFormedIDs() throws {
        try withScratch { scratch in
            let (replica, members, event) = try setUp(scratch)
            let badID = #expect(throws: ReplicaError.self) {
                try replica.write { tx in try Roster(tx).register(member: "张三", activity: event) }
            }
            #expect(badID?.code == .invalidInput)
            let unknown = #expect(throws: ReplicaError.self) {
                try replica.write { tx in try Roster(tx).register(member: UUIDText.random(), activity: event) }
            }
            #expect(unknown?.code == .notFound)
            try replica.write { tx in try tx.delete(member, id: members[2]) }
            let deleted = #expect(throws: ReplicaError.self) {
                try replica.write { tx in try Roster(tx).register(member: members[2], activity: event) }
            }
            #expect(deleted?.code == .notFound)
            let noActivity = #expect(throws: ReplicaError.self) {
                try replica.read { try Attendance.load(activity: members[0], $0) }
            }
            #expect(noActivity?.code == .notFound)
        }
    }

    @Test func twoReplicasRegisteringTheSamePairOfflineCreateOneParticipation() throws {
        try withScratch { scratch in
            let (a, members, event) = try setUp(scratch)
            let b = try scratch.replica("志愿者-2", nodeID: .fixed(2))
            try a.sendPending(to: b)
            let atA = try a.write { tx in try Roster(tx).register(member: members[0], activity: event) }
            let atB = try b.write { tx in try Roster(tx).register(member: members[0], activity: event) }
            #expect(atA.id == atB.id)
            #expect(atA.id == Roster.participationID(member: members[0], activity: event))
            try a.exchangeUntilSettled(with: b)
            for replica in [a, b] {
                #expect(try replica.read { try $0.count(HearthSchema.participation) } == 1)
                #expect(try replica.read { try $0.conflicts() }.isEmpty)
                #expect(try replica.read { try Attendance.load(activity: event, $0) }.registered == 1)
            }
            #expect(try a.digest() == b.digest())
        }
    }

    @Test func attendanceOnOneNodeAndCancellationOnAnotherIsARecordedConflict() throws {
        try withScratch { scratch in
            let (a, members, event) = try setUp(scratch)
            let b = try scratch.replica("志愿者-2", nodeID: .fixed(2))
            try a.write { tx in try Roster(tx).register(member: members[0], activity: event) }
            try a.sendPending(to: b)
            try a.write { tx in try Roster(tx).checkIn(member: members[0], activity: event, at: "2026-04-18T09:05") }
            try b.write { tx in try Roster(tx).cancel(member: members[0], activity: event) }
            try a.exchangeUntilSettled(with: b)
            for replica in [a, b] {
                let reports = try replica.read { try $0.conflicts() }
                #expect(reports.map(\.field) == ["status"])
                #expect(Set(reports.first?.sides.map(\.value) ?? []) == [.text("attended"), .text("cancelled")])
            }
            #expect(try a.digest() == b.digest())
        }
    }

    @Test func registrationsPastCapacityAcrossNodesAreKeptAndFlagged() throws {
        try withScratch { scratch in
            let (a, members, event) = try setUp(scratch, capacity: 1)
            let b = try scratch.replica("志愿者-2", nodeID: .fixed(2))
            try a.sendPending(to: b)
            try a.write { tx in try Roster(tx).register(member: members[0], activity: event) }
            try b.write { tx in try Roster(tx).register(member: members[1], activity: event) }
            try a.exchangeUntilSettled(with: b)
            for replica in [a, b] {
                let attendance = try replica.read { try Attendance.load(activity: event, $0) }
                #expect(attendance.registered == 2)
                #expect(attendance.capacity == 1)
                #expect(attendance.isOverCapacity)
            }
        }
    }
}
