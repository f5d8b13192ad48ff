import Foundation
import Testing

/// `hearth export` through the built binary: bytes Excel opens intact, and files that re-import unchanged.
@Suite(.oneProcessTestAtATime) struct ExportCLITests {
    /// A replica with members whose values need quoting or protecting, two activities and three registrations.
    struct Fixture {
        let hearth: HearthProcess
        var members: [String: String] = [:]
        var activities: [String: String] = [:]

        init() throws {
            hearth = try HearthProcess()
            try hearth.succeed(["init", "--name", "沙头服务中心"])
            let people: [[String]] = [
                [
                    "--name", "张伟", "--phone", "13800000001", "--employer", "粤海建筑公司, 二分公司", "--center",
                    "沙头服务中心", "--residency", "nonlocal", "--joined", "2025-03-08", "--notes", "夜班\n说\"周末\"可联系",
                ],
                ["--name", "李娜", "--phone", "+86 139 0000 0002", "--center", "沙头服务中心", "--notes", "=1+1"],
                ["--name", "王芳", "--employer", "粤海建筑公司", "--center", "体育公园服务中心", "--joined", "2024-11-01"],
            ]
            for person in people {
                members[person[1]] = try hearth.succeed(["member", "add"] + person).line
            }
            activities["焊工技能比赛"] = try hearth.succeed([
                "activity", "add", "--title", "焊工技能比赛", "--kind", "contest", "--starts", "2026-03-08T09:00",
                "--center", "沙头服务中心", "--capacity", "30", "--description", "初赛, 复赛",
            ]).line
            activities["法律讲座"] = try hearth.succeed([
                "activity", "add", "--title", "法律讲座", "--kind", "legal-aid", "--starts", "2026-05-09",
                "--center", "体育公园服务中心",
            ]).line
            for name in ["张伟", "李娜"] {
                try hearth.succeed(["register", members[name]!, activities["焊工技能比赛"]!])
            }
            try hearth.succeed(["register", members["王芳"]!, activities["法律讲座"]!])
            try hearth.succeed(["checkin", members["张伟"]!, activities["焊工技能比赛"]!])
        }
    }

    /// The lines of an exported file, without its BOM, split at CRLF.
    func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
    }

    @Test func aMembersExportIsExcelReadyAndPrivate() throws {
        let fixture = try Fixture()
        let hearth = fixture.hearth
        defer { hearth.cleanUp() }
        #expect(
            try hearth.succeed(["export", "members", "--out", "会员.csv"]).line == "wrote 3 rows of members to 会员.csv")
        let bytes = try hearth.bytes(of: "会员.csv")
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("姓名,性别,电话,单位,服务中心,户籍,入会日期,技能,备注\r\n"))
        #expect(text.hasSuffix("\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        #expect(
            text.contains(
                "张伟,,\"=\"\"13800000001\"\"\",\"粤海建筑公司, 二分公司\",沙头服务中心,外地,2025-03-08,,\"夜班\n说\"\"周末\"\"可联系\"\r\n"))
        #expect(text.contains("\"=\"\"+86 139 0000 0002\"\"\""))
        #expect(text.contains("\"=\"\"=1+1\"\"\""))
        let attributes = try FileManager.default.attributesOfItem(
            atPath: hearth.directory.appendingPathComponent("会员.csv").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func anExistingFileIsKeptUnlessForced() throws {
        let fixture = try Fixture()
        let hearth = fixture.hearth
        defer { hearth.cleanUp() }
        let path = try hearth.write("members.csv", Array("old".utf8))
        let refused = try hearth.run(["export", "members", "--out", path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("already exists; give another --out file, or pass --force"))
        #expect(try hearth.bytes(of: "members.csv") == Array("old".utf8))

        let forced = try hearth.succeed(["export", "members", "--out", path, "--force", "--json"]).jsonObject()
        #expect(forced["rows"] as? Int == 3)
        #expect(Array(try hearth.bytes(of: "members.csv").prefix(3)) == [0xEF, 0xBB, 0xBF])
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: hearth.directory.path).filter { $0.contains(".part-") }
                .isEmpty)
    }

    @Test func membersAndActivitiesExportsReimportUnchanged() throws {
        let fixture = try Fixture()
        let hearth = fixture.hearth
        defer { hearth.cleanUp() }
        try hearth.succeed(["export", "members", "--out", "members.csv"])
        try hearth.succeed(["export", "activities", "--out", "activities.csv"])
        let before = try hearth.statusJSON()
        #expect(try hearth.importCounts(["member", "import", "members.csv"]) == [0, 0, 3])
        #expect(try hearth.importCounts(["activity", "import", "activities.csv"]) == [0, 0, 2])
        #expect(try hearth.statusJSON() == before)

        let english = try hearth.succeed(["export", "activities", "--out", "activities-en.csv", "--lang", "en"])
        #expect(english.line.hasPrefix("wrote 2 rows"))
        let header = lines(try hearth.bytes(of: "activities-en.csv"))[0]
        #expect(header == "title,kind,center,location,startsAt,endsAt,capacity,description")
        #expect(try hearth.importCounts(["activity", "import", "activities-en.csv"]) == [0, 0, 2])
    }

    @Test func anAttendanceExportHasALinePerRegistration() throws {
        let fixture = try Fixture()
        let hearth = fixture.hearth
        defer { hearth.cleanUp() }
        try hearth.succeed(["export", "attendance", "--out", "attendance.csv"])
        let rows = lines(try hearth.bytes(of: "attendance.csv")).filter { !$0.isEmpty }
        #expect(rows.count == 4)
        #expect(rows[0] == "活动,开始时间,服务中心,姓名,电话,单位,报名时间,签到时间,状态")
        let zhang = try #require(rows.first { $0.contains("张伟") })
        #expect(zhang.hasPrefix("焊工技能比赛,2026-03-08T09:00,沙头服务中心,张伟,"))
        #expect(zhang.hasSuffix(",已签到"))
        let cells = zhang.components(separatedBy: ",")
        #expect(cells[cells.count - 3].hasPrefix("20"), "registered at is a timestamp")
        #expect(cells[cells.count - 2].hasPrefix("20"), "checked in at is a timestamp")
        #expect(rows.contains { $0.contains("李娜") && $0.hasSuffix(",,已报名") })
        #expect(rows.last?.hasPrefix("法律讲座,2026-05-09,体育公园服务中心,王芳,,粤海建筑公司,") == true)
    }

    @Test func centerAndPeriodSelectWhatIsExported() throws {
        let fixture = try Fixture()
        let hearth = fixture.hearth
        defer { hearth.cleanUp() }
        let byCenter = try hearth.succeed(["export", "members", "--out", "a.csv", "--center", "沙头服务中心", "--json"])
        #expect(try byCenter.jsonObject()["rows"] as? Int == 2)
        let byJoining = try hearth.succeed(["export", "members", "--out", "b.csv", "--from", "2025-01-01", "--json"])
        #expect(try byJoining.jsonObject()["rows"] as? Int == 1, "members without a joining date are left out")
        let march = ["--from", "2026-03-01", "--to", "2026-03-31", "--json"]
        #expect(
            try hearth.succeed(["export", "activities", "--out", "c.csv"] + march).jsonObject()["rows"] as? Int == 1)
        #expect(
            try hearth.succeed(["export", "attendance", "--out", "d.csv"] + march).jsonObject()["rows"] as? Int == 2)
        let usage = try hearth.run(["export", "members", "--out", "e.csv", "--from", "2026-13-01"])
        #expect(usage.status == 2)
    }
}
