import Foundation
import Testing

/// Importing member and activity files again, or overlapping ones, through the built binary:
/// matched rows are updated or left alone, never duplicated.
@Suite(.oneProcessTestAtATime) struct ImportMatchingCLITests {
    static let memberRows = """
        姓名,性别,手机,单位,所属中心,户籍,入会日期\r
        张伟,男,138 0000 0001,粤海建筑公司,沙头服务中心,外地,2025/3/8\r
        李娜,女,13800000002,,沙头服务中心,本地,\r
        王芳,女,,粤海建筑公司,沙头服务中心,外地,\r

        """

    @Test func reimportingAGBKFileAddsNothingAndWritesNothing() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "沙头服务中心"])
        let path = try hearth.write("会员.csv", GBKBytes.encode(Self.memberRows))
        #expect(try hearth.importCounts(["member", "import", path]) == [3, 0, 0])
        let before = try hearth.statusJSON()

        #expect(
            try hearth.succeed(["member", "import", path]).line == "imported 3 members: 0 added, 0 updated, 3 unchanged"
        )
        #expect(try hearth.statusJSON() == before, "an unchanged import must write nothing")
        #expect(try hearth.count("member") == 3)
    }

    @Test func anOverlappingFileAddsUpdatesAndLeavesUnchanged() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "沙头服务中心"])
        try hearth.succeed(["member", "import", try hearth.write("first.csv", GBKBytes.encode(Self.memberRows))])
        let overlapping = """
            姓名,电话,单位,所属中心,户籍,备注
            张伟,13800000001,粤海建筑公司,,外地,
            李娜,138-0000-0002,,,外地,夜班
            王芳,,粤海建筑公司,,,
            赵敏,139 0000 0009,,体育公园服务中心,本地,
            """
        let path = try hearth.write("second.csv", [0xEF, 0xBB, 0xBF] + Array(overlapping.utf8))

        let dryRun = try hearth.succeed(["member", "import", path, "--dry-run"])
        #expect(dryRun.stdout.contains("dry run: 4 members would be imported: 1 added, 1 updated, 2 unchanged"))
        #expect(try hearth.count("member") == 3)

        let imported = try hearth.succeed(["member", "import", path, "--json"]).jsonObject()
        #expect(imported["imported"] as? Int == 4)
        #expect([imported["added"], imported["updated"], imported["unchanged"]].map { $0 as? Int } == [1, 1, 2])
        let members = try hearth.succeed(["member", "list", "--json"]).jsonArray()
        #expect(members.count == 4)
        let li = try #require(members.first { $0["name"] as? String == "李娜" })
        #expect(li["residency"] as? String == "nonlocal")
        #expect(li["notes"] as? String == "夜班")
        #expect(li["phone"] as? String == "13800000002")
        #expect(li["center"] as? String == "沙头服务中心", "an empty cell must not erase the stored center")
    }

    @Test func oneBadRowAmongMatchesRefusesTheWholeFileAndChangesNothing() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "沙头服务中心"])
        try hearth.succeed(["member", "import", try hearth.write("first.csv", GBKBytes.encode(Self.memberRows))])
        let before = try hearth.statusJSON()
        let text = "姓名,手机,户籍,备注\r\n张伟,13800000001,本地,\r\n李娜,13800000002,,\"夜班,\r\n周末\"\r\n赵敏,1390000000X,本地,\r\n"
        let result = try hearth.run(["member", "import", try hearth.write("bad.csv", GBKBytes.encode(text))])
        #expect(result.status == 1)
        #expect(result.stderr.contains("row 4 (line 5), column '手机': phone must be a phone number"))
        #expect(!result.stderr.contains("赵敏") && !result.stderr.contains("1390000000X"))
        #expect(try hearth.statusJSON() == before)
    }

    @Test func aPhoneSharedByTwoMembersRefusesTheRowByIds() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "沙头服务中心"])
        let first = try hearth.succeed(["member", "add", "--name", "张伟", "--phone", "138 0000 0001"]).line
        let second = try hearth.succeed(["member", "add", "--name", "张伟华", "--phone", "13800000001"]).line
        let before = try hearth.statusJSON()
        let path = try hearth.write("one.csv", Array("姓名,手机\n张伟,138-0000-0001\n".utf8))
        let result = try hearth.run(["member", "import", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("row 2: its phone number fits 2 stored members"))
        #expect(result.stderr.contains(first) && result.stderr.contains(second))
        #expect(!result.stderr.contains("0001"))
        #expect(try hearth.statusJSON() == before)
    }

    @Test func activitiesInAGBKFileImportOnceWithChineseKindWords() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "沙头服务中心"])
        let text = """
            活动名称,活动类型,开始日期,结束日期,服务中心,地点,名额,备注\r
            焊工技能比赛,竞赛,2026/3/8 9:00,2026/3/8 17:00,沙头服务中心,沙头体育园,30,\r
            普法讲座,法律援助,2026/3/9,,沙头服务中心,,,"夜班,工人"\r
            文化节,文化,2026年5月1日,,,,,\r
            帮扶,帮扶,2026-06-01,,,,,\r

            """
        let path = try hearth.write("活动.csv", GBKBytes.encode(text))
        let dryRun = try hearth.succeed(["activity", "import", path, "--dry-run", "--json"]).jsonObject()
        #expect(dryRun["encoding"] as? String == "gb18030")
        #expect(dryRun["added"] as? Int == 4)
        #expect(try hearth.count("activity") == 0)

        #expect(try hearth.importCounts(["activity", "import", path]) == [4, 0, 0])
        #expect(try hearth.importCounts(["activity", "import", path]) == [0, 0, 4])
        let activities = try hearth.succeed(["activity", "list", "--json"]).jsonArray()
        #expect(activities.count == 4)
        let contest = try #require(activities.first { $0["title"] as? String == "焊工技能比赛" })
        #expect(contest["kind"] as? String == "contest")
        #expect(contest["startsAt"] as? String == "2026-03-08T09:00")
        #expect(contest["capacity"] as? Int == 30)
        #expect(
            activities.compactMap { $0["kind"] as? String }.sorted() == [
                "assistance", "contest", "culture", "legal-aid",
            ])
    }

    @Test func aBadActivityRowNamesItsLineAndImportsNothing() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "沙头服务中心"])
        let text = "标题,类型,开始时间\n焊工技能比赛,竞赛,2026-03-08\n普法讲座,讲课,2026-03-09\n文化节,文化,明天\n"
        let result = try hearth.run(["activity", "import", try hearth.write("bad.csv", Array(text.utf8))])
        #expect(result.status == 1)
        #expect(result.stderr.contains("2 of 3 rows have problems; nothing was imported"))
        #expect(result.stderr.contains("row 3, column '类型': kind must be one of contest"))
        #expect(result.stderr.contains("row 4, column '开始时间': startsAt must be an ISO 8601 date"))
        #expect(try hearth.count("activity") == 0)
    }
}
