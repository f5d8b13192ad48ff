import Foundation
import Testing

/// Cases, mutual aid and certificates through the built `hearth` binary: the same `--json`,
/// exit-code and error rules as members.
@Suite(.oneProcessTestAtATime) struct CaseworkCLITests {
    @Test func aCaseIsOpenedEditedClosedAndListedWithExactAmounts() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "沙头服务中心"])
        let worker = try hearth.succeed(["member", "add", "--name", "王建国"]).line
        let opened = try hearth.succeed([
            "case", "add", "--kind", "labour-dispute", "--opened", "2024-03-01", "--member", worker,
            "--enterprise", "古镇酒厂", "--center", "沙头服务中心", "--workers", "45", "--amount", "1520000.50", "--json",
        ]).jsonObject()
        let id = try #require(opened["id"] as? String)
        #expect(opened["amountFen"] as? Int == 152_000_050)
        #expect(opened["status"] as? String == "open")
        #expect(opened["memberId"] as? String == worker)

        let edited = try hearth.succeed(["case", "edit", id, "--amount", "1600000", "--json"]).jsonObject()
        #expect(edited["amountFen"] as? Int == 160_000_000 && edited["workers"] as? Int == 45)
        #expect(
            try hearth.succeed(["case", "close", id, "--on", "2024-04-15", "--outcome", "调解成功"]).line
                == "closed case \(id)")
        let shown = try hearth.succeed(["case", "show", id, "--json"]).jsonObject()
        #expect(shown["status"] as? String == "closed" && shown["closedOn"] as? String == "2024-04-15")
        let text = try hearth.succeed(["case", "show", id]).stdout
        #expect(text.contains("1600000.00") && text.contains("amount (yuan)"))
        let table = try hearth.succeed(["case", "list"]).stdout
        #expect(table.contains("AMOUNT (YUAN)") && table.contains("1600000.00") && table.contains("古镇酒厂"))
        #expect(try hearth.succeed(["case", "list", "--status", "open", "--json"]).jsonArray().isEmpty)
        #expect(try hearth.succeed(["case", "list", "--kind", "labour-dispute", "--json"]).jsonArray().count == 1)
    }

    @Test func badCaseInputIsRefusedWithExitOneAndNothingChanges() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "沙头服务中心"])
        let id = try hearth.succeed(["case", "add", "--kind", "rules-review", "--opened", "2024-03-01"]).line
        let before = try hearth.statusJSON()
        let refusals: [([String], String)] = [
            (["case", "add", "--kind", "lawsuit"], "kind must be one of"),
            (["case", "add", "--kind", "legal-aid", "--amount", "12.345"], "at most two decimals"),
            (["case", "add", "--kind", "legal-aid", "--amount", "-3"], "at most two decimals"),
            (["case", "add", "--kind", "legal-aid", "--workers", "many"], "whole number"),
            (["case", "add", "--kind", "legal-aid", "--member", UUID().uuidString], "hearth member list"),
            (["case", "close", id, "--on", "2024-02-01"], "before openedOn"),
            (["case", "edit", id, "--status", "closed"], "hearth case close"),
            (["case", "show", UUID().uuidString], "hearth case list"),
        ]
        for (arguments, message) in refusals {
            let result = try hearth.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(message), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        #expect(try hearth.statusJSON() == before)
        #expect(try hearth.run(["case", "edit", id]).status == 2)
        #expect(try hearth.run(["case", "add"]).status == 2)
    }

    @Test func mutualAidEnrolmentsAndClaims() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "沙头服务中心"])
        let worker = try hearth.succeed(["member", "add", "--name", "李秀英"]).line
        let enrolment = try hearth.succeed([
            "mutual-aid", "enrol", "--member", worker, "--year", "2024", "--paid", "50", "--json",
        ]).jsonObject()
        #expect(enrolment["paidInFen"] as? Int == 5_000 && enrolment["planYear"] as? Int == 2024)
        let enrolmentID = try #require(enrolment["id"] as? String)
        let again = try hearth.run(["mutual-aid", "enrol", "--member", worker, "--year", "2024", "--paid", "50"])
        #expect(again.status == 1 && again.stderr.contains("already exists"))
        let claim = try hearth.succeed([
            "mutual-aid", "claim", "--enrolment", enrolmentID, "--date", "2024-09-01", "--amount", "3000.05",
            "--reason", "住院", "--json",
        ]).jsonObject()
        #expect(claim["amountFen"] as? Int == 300_005)
        let unknown = try hearth.run([
            "mutual-aid", "claim", "--enrolment", UUID().uuidString, "--date", "2024-09-01", "--amount", "1",
        ])
        #expect(unknown.status == 1 && unknown.stderr.contains("hearth mutual-aid list"))
        #expect(try hearth.succeed(["mutual-aid", "list", "--year", "2024", "--json"]).jsonArray().count == 1)
        #expect(try hearth.succeed(["mutual-aid", "list", "--year", "2025", "--json"]).jsonArray().isEmpty)
        #expect(try hearth.succeed(["mutual-aid", "list", "--claims"]).stdout.contains("3000.05"))
        #expect(try hearth.run(["mutual-aid", "list", "--claims", "--year", "2024"]).status == 2)
    }

    @Test func certificatesAreAddedAndListedByTrade() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        try hearth.succeed(["init", "--name", "工业园服务中心"])
        let worker = try hearth.succeed(["member", "add", "--name", "陈师傅"]).line
        let contest = try hearth.succeed([
            "activity", "add", "--title", "塔吊司机技能比赛", "--kind", "contest", "--starts", "2024-05-10",
        ]).line
        let added = try hearth.succeed([
            "certificate", "add", "--member", worker, "--trade", "塔吊司机", "--level", "Senior", "--date", "2024-06-01",
            "--activity", contest, "--json",
        ]).jsonObject()
        #expect(added["level"] as? String == "senior" && added["activityId"] as? String == contest)
        #expect(try hearth.succeed(["certificate", "list", "--trade", "塔吊司机", "--json"]).jsonArray().count == 1)
        #expect(try hearth.succeed(["certificate", "list", "--trade", "焊工"]).line == "no certificate records match")
        let bad = try hearth.run(["certificate", "add", "--member", worker, "--trade", "焊工", "--date", "2024-13-01"])
        #expect(bad.status == 1 && bad.stderr.contains("issuedOn must be a date"))
    }
}
