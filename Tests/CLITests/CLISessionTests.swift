import Foundation
import HearthCLI
import Testing

/// A person's session at a service center, end to end through the built `hearth` binary.
@Suite(.oneProcessTestAtATime) struct CLISessionTests {
    @Test func initCreatesAPrivateReplicaAndRefusesASecondTime() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        let created = try hearth.succeed(["init", "--name", "沙头服务中心", "--json"]).jsonObject()
        #expect(created["name"] as? String == "沙头服务中心")
        let nodeID = try #require(created["nodeId"] as? String)
        #expect(UUID(uuidString: nodeID) != nil)
        let attributes = try FileManager.default.attributesOfItem(atPath: hearth.database.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let before = try hearth.statusJSON()
        let again = try hearth.run(["init", "--name", "另一个中心"])
        #expect(again.status == 1)
        #expect(again.stderr.hasPrefix("error: "))
        #expect(again.stderr.contains("already exists"))
        #expect(try hearth.statusJSON() == before)
        #expect(try hearth.succeed(["status", "--json"]).jsonObject()["nodeId"] as? String == nodeID)
    }

    @Test func membersActivitiesAndAttendanceInChinese() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "沙头服务中心"])
        let zhang = try hearth.succeed([
            "member", "add", "--name", "张伟", "--gender", "男", "--phone", "138 0013 8000", "--employer", "粤海建筑公司",
            "--center", "沙头服务中心", "--residency", "nonlocal", "--joined", "2025-03-08", "--skills", "塔吊司机证",
        ]).line
        let li = try hearth.succeed([
            "member", "add", "--name", "李秀英", "--phone", "+86-139-0000-0002", "--center", "沙头服务中心",
        ])
        .line
        let ouyang = try hearth.succeed(["member", "add", "--name", "欧阳娜娜", "--center", "体育公园", "--json"]).jsonObject()
        let ouyangID = try #require(ouyang["id"] as? String)
        #expect(UUID(uuidString: zhang) != nil && UUID(uuidString: li) != nil)
        #expect(ouyang["name"] as? String == "欧阳娜娜")
        #expect(ouyang["phone"] is NSNull)

        let contest = try hearth.succeed([
            "activity", "add", "--title", "焊工技能比赛", "--kind", "contest", "--center", "沙头服务中心",
            "--location", "工业园实训基地", "--starts", "2026-03-01T09:00", "--ends", "2026-03-01T17:00", "--capacity", "2",
        ]).line
        try hearth.succeed([
            "activity", "add", "--title", "新春团圆饭", "--kind", "holiday", "--starts", "2026-02-10", "--capacity", "300",
        ])

        #expect(try hearth.succeed(["register", zhang, contest]).line == "registered 张伟 for 焊工技能比赛")
        let registered = try hearth.succeed(["register", li, contest, "--json"]).jsonObject()
        #expect(registered["status"] as? String == "registered")
        #expect(registered["memberId"] as? String == li)
        #expect(registered["activityId"] as? String == contest)

        let checkedIn = try hearth.succeed(["checkin", zhang, contest, "--json"]).jsonObject()
        #expect(checkedIn["status"] as? String == "attended")
        let time = try #require(checkedIn["checkedInAt"] as? String)
        #expect(time.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$"#, options: .regularExpression) != nil)

        var attendance = try hearth.succeed(["attendance", contest, "--json"]).jsonObject()
        #expect(attendance["registered"] as? Int == 2)
        #expect(attendance["attended"] as? Int == 1)
        #expect(attendance["capacity"] as? Int == 2)
        #expect(attendance["overCapacity"] as? Bool == false)
        let participants = try #require(attendance["participants"] as? [[String: Any]])
        #expect(Set(participants.compactMap { $0["memberName"] as? String }) == ["张伟", "李秀英"])
        #expect((attendance["activity"] as? [String: Any])?["title"] as? String == "焊工技能比赛")

        #expect(try hearth.succeed(["cancel", li, contest]).line == "cancelled the registration of 李秀英 for 焊工技能比赛")
        try hearth.succeed(["register", ouyangID, contest])
        attendance = try hearth.succeed(["attendance", contest, "--json"]).jsonObject()
        #expect(attendance["registered"] as? Int == 2)
        #expect(attendance["cancelled"] as? Int == 1)

        let text = try hearth.succeed(["attendance", contest]).stdout
        #expect(text.contains("焊工技能比赛"))
        #expect(text.contains("registered 2 of 2 places, attended 1, cancelled 1"))

        let status = try hearth.succeed(["status", "--json"]).jsonObject()
        let records = try #require(status["records"] as? [String: Int])
        #expect(
            records == [
                "member": 3, "activity": 2, "participation": 3, "case": 0, "enrolment": 0, "claim": 0, "certificate": 0,
            ])
        #expect(status["nodeName"] as? String == "沙头服务中心")
        #expect(status["openConflicts"] as? Int == 0)
        #expect(status["unsyncedChanges"] as? Int == 10)
        #expect((status["digest"] as? String)?.count == 32)
        let statusText = try hearth.succeed(["status"]).stdout
        #expect(statusText.contains("沙头服务中心"))
        #expect(statusText.range(of: #"unsynced changes +10\n"#, options: .regularExpression) != nil)

        // Lowering the capacity below the registrations keeps everyone but flags the activity.
        try hearth.succeed(["activity", "edit", contest, "--capacity", "1"])
        #expect(try hearth.succeed(["attendance", contest, "--json"]).jsonObject()["overCapacity"] as? Bool == true)
        #expect(
            try hearth.succeed(["attendance", contest]).stdout.contains(
                "warning: 2 registrations exceed the capacity of 1"))
    }

    @Test func listsAreAlignedTablesAndJSONArrays() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "沙头服务中心"])
        try hearth.succeed(["member", "add", "--name", "张伟", "--phone", "13800138000", "--center", "沙头服务中心"])
        try hearth.succeed(["member", "add", "--name", "Li Na", "--phone", "139-0000-0002", "--center", "工业园"])
        try hearth.succeed(["member", "add", "--name", "欧阳娜娜", "--phone", "137 0000 0003", "--center", "沙头服务中心"])

        let lines = try hearth.succeed(["member", "list"]).stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 4)
        let phoneCells = ["PHONE", "13800138000", "139-0000-0002", "137 0000 0003"]
        let phoneColumns = try lines.map { line in
            let cell = try #require(phoneCells.first { line.contains($0) }, "no phone on line '\(line)'")
            return DisplayWidth.of(line[..<line.range(of: cell)!.lowerBound])
        }
        #expect(Set(phoneColumns).count == 1, "columns misaligned:\n\(lines.joined(separator: "\n"))")

        let members = try hearth.succeed(["member", "list", "--json"]).jsonArray()
        #expect(members.compactMap { $0["name"] as? String } == ["Li Na", "张伟", "欧阳娜娜"])
        #expect(
            Set(members[0].keys) == [
                "id", "name", "gender", "phone", "employer", "center", "residency", "joinedOn", "skills", "notes",
            ])

        let ofCenter = try hearth.succeed(["member", "list", "--center", "沙头服务中心", "--json"]).jsonArray()
        #expect(ofCenter.count == 2)
        let searched = try hearth.succeed(["member", "list", "--search", "娜", "--json"]).jsonArray()
        #expect(searched.compactMap { $0["name"] as? String } == ["欧阳娜娜"])
        #expect(try hearth.succeed(["member", "list", "--search", "无此人", "--json"]).jsonArray().isEmpty)
        #expect(try hearth.succeed(["member", "list", "--search", "无此人"]).line == "no member records match")

        try hearth.succeed([
            "activity", "add", "--title", "劳动法讲座", "--kind", "legal-aid", "--starts", "2026-04-01T14:00",
        ])
        try hearth.succeed([
            "activity", "add", "--title", "拔河比赛", "--kind", "culture", "--starts", "2026-05-01", "--center", "工业园",
        ])
        #expect(try hearth.succeed(["activity", "list", "--kind", "legal-aid", "--json"]).jsonArray().count == 1)
        #expect(try hearth.succeed(["activity", "list", "--center", "工业园", "--json"]).jsonArray().count == 1)
        #expect(try hearth.succeed(["activity", "list", "--search", "讲座", "--json"]).jsonArray().count == 1)
        let activities = try hearth.succeed(["activity", "list", "--json"]).jsonArray()
        #expect(
            Set(activities[0].keys) == [
                "id", "title", "kind", "center", "location", "startsAt", "endsAt", "capacity", "description",
            ])
    }

    @Test func showAndEditWriteOnlyTheGivenFields() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "沙头服务中心"])
        let id = try hearth.succeed([
            "member", "add", "--name", "张伟", "--phone", "13800138000", "--center", "沙头服务中心", "--notes", "会焊接",
        ]).line

        let edited = try hearth.succeed(["member", "edit", id.uppercased(), "--phone", "", "--center", "工业园", "--json"])
            .jsonObject()
        #expect(edited["phone"] is NSNull)
        #expect(edited["center"] as? String == "工业园")
        #expect(edited["name"] as? String == "张伟")
        #expect(edited["notes"] as? String == "会焊接")

        let shown = try hearth.succeed(["member", "show", id, "--json"]).jsonObject()
        #expect(shown["id"] as? String == id)
        #expect(shown["center"] as? String == "工业园")
        let text = try hearth.succeed(["member", "show", id]).stdout
        #expect(text.range(of: #"(?m)^name +张伟$"#, options: .regularExpression) != nil)

        let activity = try hearth.succeed([
            "activity", "add", "--title", "育婴师培训", "--kind", "training", "--starts", "2026-06-01", "--capacity", "30",
        ]).line
        let changed = try hearth.succeed([
            "activity", "edit", activity, "--capacity", "", "--ends", "2026-06-05", "--json",
        ])
        .jsonObject()
        #expect(changed["capacity"] is NSNull)
        #expect(changed["endsAt"] as? String == "2026-06-05")
        #expect(changed["title"] as? String == "育婴师培训")

        #expect(try hearth.succeed(["member", "remove", id]).line == "removed member \(id)")
        #expect(try hearth.succeed(["member", "list", "--json"]).jsonArray().isEmpty)
        #expect(try hearth.run(["member", "show", id]).status == 1)
    }

    @Test func theReplicaPathComesFromDbThenEnvironmentThenTheWorkingDirectory() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        let explicit = hearth.directory.appendingPathComponent("explicit.db").path
        try hearth.succeed(["init", "--name", "体育公园服务中心", "--db", explicit])
        #expect(FileManager.default.fileExists(atPath: explicit))
        #expect(!FileManager.default.fileExists(atPath: hearth.database.path))
        let fromFlag = try hearth.succeed(["status", "--json", "--db", explicit]).jsonObject()
        #expect(fromFlag["nodeName"] as? String == "体育公园服务中心")

        let inWorkingDirectory = try hearth.run(["init", "--name", "村级工会"], environment: ["HEARTH_DB": nil])
        #expect(inWorkingDirectory.status == 0)
        #expect(FileManager.default.fileExists(atPath: hearth.directory.appendingPathComponent("hearth.db").path))

        let missing = try hearth.run(
            ["status"], environment: ["HEARTH_DB": hearth.directory.appendingPathComponent("none.db").path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("hearth init"))
        #expect(!FileManager.default.fileExists(atPath: hearth.directory.appendingPathComponent("none.db").path))
    }

    @Test func versionAndHelpSucceed() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        #expect(try hearth.succeed(["--version"]).line == HearthVersion.string)
        #expect(try hearth.succeed(["--help"]).stdout.contains("member"))
        #expect(try hearth.succeed(["member", "add", "--help"]).stdout.contains("--residency"))
    }
}
