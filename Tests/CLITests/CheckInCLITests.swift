import Foundation
import Testing

/// Check-in at the desk through the built binary: by phone number, and walk-ins in one command.
@Suite(.oneProcessTestAtATime) struct CheckInCLITests {
    struct Desk {
        let hearth: HearthProcess
        let zhang: String
        let contest: String

        init() throws {
            hearth = try HearthProcess()
            try hearth.succeed(["init", "--name", "沙头服务中心"])
            zhang = try hearth.succeed(["member", "add", "--name", "张伟", "--phone", "138 0000 0001"]).line
            contest = try hearth.succeed([
                "activity", "add", "--title", "焊工技能比赛", "--kind", "contest", "--starts", "2026-03-08T09:00",
                "--capacity", "2",
            ]).line
        }

        func participants() throws -> [[String: Any]] {
            let attendance = try hearth.succeed(["attendance", contest, "--json"]).jsonObject()
            return try #require(attendance["participants"] as? [[String: Any]])
        }
    }

    @Test func aMemberIsRegisteredAndCheckedInByPhoneFormattedAnotherWay() throws {
        let desk = try Desk()
        defer { desk.hearth.cleanUp() }
        #expect(
            try desk.hearth.succeed(["register", "138-0000-0001", desk.contest]).line == "registered 张伟 for 焊工技能比赛")
        let checkedIn = try desk.hearth.succeed(["checkin", "13800000001", desk.contest, "--json"]).jsonObject()
        #expect(checkedIn["memberId"] as? String == desk.zhang)
        #expect(checkedIn["status"] as? String == "attended")
    }

    @Test func anUnknownPhoneSuggestsAWalkInWithoutEchoingTheNumber() throws {
        let desk = try Desk()
        defer { desk.hearth.cleanUp() }
        let before = try desk.hearth.statusJSON()
        let result = try desk.hearth.run(["checkin", "139 1234 5678", desk.contest])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no member has that phone number"))
        #expect(result.stderr.contains("hearth checkin --walk-in --name NAME --phone PHONE ACTIVITY"))
        #expect(!result.stderr.contains("5678"))
        #expect(try desk.hearth.statusJSON() == before)
    }

    @Test func aPhoneSharedByTwoMembersIsRefusedListingTheirIds() throws {
        let desk = try Desk()
        defer { desk.hearth.cleanUp() }
        let other = try desk.hearth.succeed(["member", "add", "--name", "张伟华", "--phone", "+138-0000-0001"]).line
        try desk.hearth.succeed(["register", desk.zhang, desk.contest])
        let result = try desk.hearth.run(["checkin", "138 0000 0001", desk.contest])
        #expect(result.status == 1)
        #expect(result.stderr.contains("that phone number belongs to 2 members"))
        #expect(result.stderr.contains(desk.zhang) && result.stderr.contains(other))
        #expect(!result.stderr.contains("0001"))
        #expect(try desk.participants().first?["status"] as? String == "registered")
    }

    @Test func aWalkInIsAddedRegisteredAndCheckedInAtOnce() throws {
        let desk = try Desk()
        defer { desk.hearth.cleanUp() }
        let result = try desk.hearth.succeed([
            "checkin", "--walk-in", "--name", "王五", "--phone", "139 0000 0005", "--employer", "粤海建筑公司",
            "--center", "沙头服务中心", desk.contest, "--json",
        ]).jsonObject()
        #expect(result["memberAdded"] as? Bool == true)
        let member = try #require(result["member"] as? [String: Any])
        #expect(member["name"] as? String == "王五")
        #expect(member["employer"] as? String == "粤海建筑公司")
        #expect(try desk.hearth.count("member") == 2)
        #expect(try desk.hearth.count("participation") == 1)
        let participant = try #require(try desk.participants().first)
        #expect(participant["memberId"] as? String == member["id"] as? String)
        #expect(participant["status"] as? String == "attended")
        #expect(participant["checkedInAt"] as? String != nil)
    }

    @Test func aWalkInWithAMembersPhoneUsesThatMember() throws {
        let desk = try Desk()
        defer { desk.hearth.cleanUp() }
        let result = try desk.hearth.succeed([
            "checkin", "--walk-in", "--name", "张伟", "--phone", "13800000001", desk.contest,
        ])
        #expect(result.stdout.contains("that phone number is member \(desk.zhang)'s"))
        #expect(result.stdout.contains("no new member was added"))
        #expect(try desk.hearth.count("member") == 1)
        let participant = try #require(try desk.participants().first)
        #expect(participant["memberId"] as? String == desk.zhang)
        #expect(participant["status"] as? String == "attended")
    }

    @Test func aRefusedWalkInAddsNobody() throws {
        let desk = try Desk()
        defer { desk.hearth.cleanUp() }
        for phone in ["139 0000 0011", "139 0000 0012"] {
            try desk.hearth.succeed(["checkin", "--walk-in", "--name", "李娜", "--phone", phone, desk.contest])
        }
        let before = try desk.hearth.statusJSON()
        let full = try desk.hearth.run([
            "checkin", "--walk-in", "--name", "王五", "--phone", "139 0000 0013", desk.contest,
        ])
        #expect(full.status == 1)
        #expect(full.stderr.contains("is full"))
        #expect(try desk.hearth.statusJSON() == before, "the new member must be rolled back with the registration")
        let usage = try desk.hearth.run(["checkin", "--walk-in", "--name", "王五", desk.contest])
        #expect(usage.status == 2)
    }
}
