import Foundation
import Testing

/// `hearth member import` end to end through the built binary.
@Suite(.oneProcessTestAtATime) struct MemberImportCLITests {
    /// Writes `bytes` as a file in the test's directory and returns its path.
    func file(_ name: String, _ bytes: [UInt8], in hearth: HearthProcess) throws -> String {
        let url = hearth.directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func memberCount(_ hearth: HearthProcess) throws -> Int? {
        let status = try hearth.succeed(["status", "--json"]).jsonObject()
        return (status["records"] as? [String: Any])?["member"] as? Int
    }

    @Test func tenThousandMembersInAGBKFileAreImportedInOneGo() throws {
        var hearth = try HearthProcess()
        hearth.timeout = 120
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "沙头服务中心"])
        let count = 10_000
        var text = "姓名,性别,手机,户籍,所属中心,入会日期,技能证书\r\n"
        var names: [String] = []
        for index in 0..<count {
            let name = GBKBytes.name(index)
            names.append(name)
            let phone = "138" + String(String(index).reversed()).padding(toLength: 8, withPad: "0", startingAt: 0)
            let residency = index % 4 == 0 ? "本地" : "外地"
            let date = "2025/\(index % 12 + 1)/\(index % 28 + 1)"
            let skills = index % 5 == 0 ? "\"焊工,塔吊司机证\"" : ""
            text += "\(name),\(index % 2 == 0 ? "男" : "女"),\(phone),\(residency),沙头服务中心,\(date),\(skills)\r\n"
        }
        let path = try file("会员名单.csv", GBKBytes.encode(text), in: hearth)

        let dryRun = try hearth.succeed(["member", "import", path, "--dry-run", "--json"]).jsonObject()
        #expect(dryRun["valid"] as? Int == count)
        #expect(dryRun["encoding"] as? String == "gb18030")
        #expect(try memberCount(hearth) == 0)

        let started = Date()
        let imported = try hearth.succeed(["member", "import", path, "--json"]).jsonObject()
        let seconds = Date().timeIntervalSince(started)
        print("imported \(count) members from a GBK file in \(String(format: "%.2f", seconds)) s")
        #expect(imported["imported"] as? Int == count)
        #expect(try memberCount(hearth) == count)

        let status = try hearth.succeed(["status", "--json"]).jsonObject()
        #expect(status["unsyncedChanges"] as? Int == count)
        let searched = try hearth.succeed(["member", "list", "--search", "欧阳秀英", "--json"]).jsonArray()
        #expect(searched.count == names.filter { $0.contains("欧阳秀英") }.count)
        let first = try #require(searched.first)
        #expect(first["center"] as? String == "沙头服务中心")
        #expect(first["joinedOn"] as? String != nil)
        #expect(["local", "nonlocal"].contains(first["residency"] as? String ?? ""))
    }

    @Test func oneBadRowRefusesTheWholeFileAndImportsNothing() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "沙头服务中心"])
        let rows = (0..<50).map { "\(GBKBytes.name($0)),1390000\(String(format: "%04d", $0)),外地" }
        var lines = ["姓名,电话,户籍"] + rows
        lines[31] = "张三,139-0000-ABCD,外地"
        let path = try file("bad.csv", [0xEF, 0xBB, 0xBF] + Array(lines.joined(separator: "\n").utf8), in: hearth)
        let before = try hearth.statusJSON()

        let result = try hearth.run(["member", "import", path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("error: bad.csv: 1 of 50 rows has a problem; nothing was imported"))
        #expect(result.stderr.contains("row 32, column '电话': phone must be a phone number"))
        #expect(!result.stderr.contains("张三") && !result.stderr.contains("ABCD"))
        #expect(try hearth.statusJSON() == before)
        #expect(try memberCount(hearth) == 0)
    }

    @Test func aUTF8FileWithEnglishHeadersImportsAndPrintsTheCount() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "体育公园服务中心"])
        let text =
            "name,phone,residency,joinedOn,notes\n李秀英,+86-139-0000-0002,nonlocal,2026-01-28,\"夜班,\n周末可联系\"\n张伟,,local,,\n"
        let path = try file("members.csv", Array(text.utf8), in: hearth)

        let dryRun = try hearth.succeed(["member", "import", path, "--dry-run"])
        #expect(dryRun.stdout.contains("members.csv: read as UTF-8; every row is valid"))
        #expect(
            dryRun.stdout.contains(
                "dry run: 2 members would be imported: 2 added, 0 updated, 0 unchanged; nothing was written"))
        #expect(try memberCount(hearth) == 0)

        #expect(
            try hearth.succeed(["member", "import", path]).line == "imported 2 members: 2 added, 0 updated, 0 unchanged"
        )
        let members = try hearth.succeed(["member", "list", "--json"]).jsonArray()
        let li = try #require(members.first { $0["name"] as? String == "李秀英" })
        #expect(li["notes"] as? String == "夜班,\n周末可联系")
        #expect(li["residency"] as? String == "nonlocal")
    }

    @Test func unknownColumnsAreRefusedUnlessIgnored() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "沙头服务中心"])
        let path = try file("extra.csv", Array("姓名,工号\n张三,A-17\n".utf8), in: hearth)

        let refused = try hearth.run(["member", "import", path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("unknown column '工号'"))
        #expect(try memberCount(hearth) == 0)

        let accepted = try hearth.succeed(["member", "import", path, "--ignore-unknown", "--json"])
        #expect(try accepted.jsonObject()["imported"] as? Int == 1)
        #expect(accepted.stderr.contains("note: skipped unknown columns '工号'"))
    }

    @Test func aMissingFileOrReplicaIsRefused() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        let path = try file("one.csv", Array("姓名\n张三\n".utf8), in: hearth)
        let noReplica = try hearth.run(["member", "import", path])
        #expect(noReplica.status == 1)
        #expect(noReplica.stderr.contains("hearth init"))

        try hearth.succeed(["init", "--name", "沙头服务中心"])
        let noFile = try hearth.run(["member", "import", hearth.directory.appendingPathComponent("none.csv").path])
        #expect(noFile.status == 1)
        #expect(noFile.stderr.contains("no file at"))
    }
}
