import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `hearth report` on a small fixture whose figures were added up by hand.
@Suite(.oneProcessTestAtATime) struct ReportCLITests {
    /// Four members, three activities, seven cases, three enrolments, two claims, three certificates.
    func fixture() throws -> HearthProcess {
        let h = try HearthProcess()
        try h.succeed(["init", "--name", "沙头服务中心"])
        func add(_ arguments: [String]) throws -> String { try h.succeed(arguments).line }
        let zhang = try add(["member", "add", "--name", "张三", "--center", "沙头", "--residency", "nonlocal"])
        let li = try add(["member", "add", "--name", "李四", "--center", "沙头", "--residency", "local"])
        let wang = try add(["member", "add", "--name", "王五", "--center", "工业园", "--residency", "nonlocal"])
        let zhao = try add(["member", "add", "--name", "赵六"])
        let dinner = try add([
            "activity", "add", "--title", "新春年夜饭", "--kind", "holiday", "--center", "沙头", "--starts",
            "2024-02-09T18:00",
        ])
        let contest = try add([
            "activity", "add", "--title", "焊工比赛", "--kind", "contest", "--center", "工业园", "--starts", "2024-05-10",
        ])
        let talk = try add([
            "activity", "add", "--title", "法律宣讲", "--kind", "legal-aid", "--center", "沙头", "--starts", "2025-01-15",
        ])
        for (member, activity) in [
            (zhang, dinner), (li, dinner), (wang, dinner), (wang, contest), (zhang, contest), (zhao, talk),
        ] {
            try h.succeed(["register", member, activity])
        }
        for (member, activity) in [(zhang, dinner), (li, dinner), (wang, contest)] {
            try h.succeed(["checkin", member, activity])
        }
        try h.succeed(["cancel", zhang, contest])
        try h.succeed([
            "certificate", "add", "--member", wang, "--trade", "焊工", "--date", "2024-06-01", "--activity", contest,
        ])
        try h.succeed(["certificate", "add", "--member", zhang, "--trade", "焊工", "--date", "2024-06-01"])
        try h.succeed(["certificate", "add", "--member", li, "--trade", "育婴员", "--date", "2025-03-01"])
        let cases: [[String]] = [
            ["--kind", "legal-aid", "--member", zhang, "--opened", "2024-03-01"],
            ["--kind", "consultation", "--workers", "40", "--enterprise", "甲厂", "--opened", "2024-04-01"],
            ["--kind", "labour-dispute", "--workers", "45", "--amount", "1200000.50", "--opened", "2024-05-01"],
            ["--kind", "labour-dispute", "--workers", "10", "--amount", "300000", "--opened", "2025-02-01"],
            ["--kind", "rules-review", "--enterprise", "甲厂", "--opened", "2024-06-01"],
            ["--kind", "rules-review", "--enterprise", "乙公司", "--opened", "2025-06-01"],
            ["--kind", "rules-review", "--enterprise", "甲厂", "--opened", "2025-07-01"],
        ]
        for arguments in cases { try h.succeed(["case", "add"] + arguments) }
        let zhang2024 = try add([
            "mutual-aid", "enrol", "--member", zhang, "--year", "2024", "--paid", "50", "--center", "沙头",
        ])
        try h.succeed(["mutual-aid", "enrol", "--member", li, "--year", "2024", "--paid", "50", "--center", "沙头"])
        let zhang2025 = try add(["mutual-aid", "enrol", "--member", zhang, "--year", "2025", "--paid", "60"])
        try h.succeed(["mutual-aid", "claim", "--enrolment", zhang2024, "--date", "2024-09-01", "--amount", "3000.05"])
        try h.succeed(["mutual-aid", "claim", "--enrolment", zhang2025, "--date", "2025-10-01", "--amount", "1000"])
        return h
    }

    func number(_ object: [String: Any], _ path: String) -> Int? {
        var current: Any? = object
        for key in path.split(separator: ".") { current = (current as? [String: Any])?[String(key)] }
        return current as? Int
    }

    @Test func figuresOfTheWholeReplicaMatchTheHandCount() throws {
        let h = try fixture()
        defer { h.cleanUp() }
        let report = try h.succeed(["report", "--json"]).jsonObject()
        let expected: [(String, Int)] = [
            ("members.total", 4), ("members.local", 1), ("members.nonlocal", 2),
            ("activities.activities", 3), ("activities.registered", 5), ("activities.attended", 3),
            ("certificates.total", 3), ("legalAid.workersServed", 41), ("legalAid.disputes.cases", 2),
            ("legalAid.disputes.workers", 55), ("legalAid.disputes.amountFen", 150_000_050),
            ("legalAid.enterprisesReviewed", 2), ("mutualAid.enrolments", 3), ("mutualAid.paidInFen", 16_000),
            ("mutualAid.claims", 2), ("mutualAid.claimsPaidFen", 400_005),
        ]
        for (path, value) in expected { #expect(number(report, path) == value, "\(path)") }
        let activities = try #require(report["activities"] as? [String: Any])
        let months = try #require(activities["byMonth"] as? [[String: Any]])
        #expect(months.map { $0["month"] as? String } == ["2024-02", "2024-05", "2025-01"])
        #expect(months.map { $0["attended"] as? Int } == [2, 1, 0])
        let kinds = try #require(activities["byKind"] as? [[String: Any]])
        #expect(kinds.map { $0["kind"] as? String } == ["holiday", "contest", "legal-aid"])
        #expect(kinds.map { $0["registered"] as? Int } == [3, 1, 1])
        let largest = try #require(activities["largest"] as? [[String: Any]])
        #expect(largest.first?["title"] as? String == "新春年夜饭" && largest.first?["attended"] as? Int == 2)
        let trades = try #require((report["certificates"] as? [String: Any])?["byTrade"] as? [[String: Any]])
        #expect(
            trades.map { $0["trade"] as? String } == ["焊工", "育婴员"] && trades.map { $0["count"] as? Int } == [2, 1])
        let centers = try #require((report["members"] as? [String: Any])?["byCenter"] as? [[String: Any]])
        #expect(centers.map { $0["center"] as? String } == ["沙头", "", "工业园"])

        let chinese = try h.run(["report"], environment: ["LANG": "zh_CN.UTF-8", "LC_ALL": nil])
        #expect(chinese.status == 0)
        #expect(chinese.stdout.contains("工会工作报告") && chinese.stdout.contains("150.00005万元"))
        #expect(chinese.stdout.contains("2024年2月") && chinese.stdout.contains("乙公司、甲厂"))
        let english = try h.succeed(["report", "--lang", "en"]).stdout
        #expect(english.contains("Federation report") && english.contains("¥1,500,000.50"))
    }

    @Test func aPeriodAndACenterNarrowTheFigures() throws {
        let h = try fixture()
        defer { h.cleanUp() }
        let later = try h.succeed(["report", "--from", "2025-01-01", "--json"]).jsonObject()
        let expected: [(String, Int)] = [
            ("activities.activities", 1), ("activities.registered", 1), ("activities.attended", 0),
            ("certificates.total", 1), ("legalAid.workersServed", 0), ("legalAid.disputes.workers", 10),
            ("legalAid.disputes.amountFen", 30_000_000), ("legalAid.enterprisesReviewed", 2),
            ("mutualAid.enrolments", 1), ("mutualAid.claimsPaidFen", 100_000),
        ]
        for (path, value) in expected { #expect(number(later, path) == value, "\(path)") }
        let shatou = try h.succeed(["report", "--center", "沙头", "--to", "2024-12-31", "--json"]).jsonObject()
        for (path, value) in [
            ("members.total", 2), ("activities.activities", 1), ("activities.registered", 3), ("certificates.total", 1),
            ("mutualAid.enrolments", 2), ("mutualAid.claims", 1),
        ] {
            #expect(number(shatou, path) == value, "\(path)")
        }
        #expect(try h.run(["report", "--from", "2025-13-01"]).status == 2)
        #expect(try h.run(["report", "--lang", "fr"]).status == 2)
    }

    @Test func theHTMLReportIsWellFormedSelfContainedAndHasItsCharts() throws {
        let h = try fixture()
        defer { h.cleanUp() }
        for lang in ["zh", "en"] {
            let file = h.directory.appendingPathComponent("report-\(lang).html")
            try h.succeed(["report", "--html", file.path, "--lang", lang])
            let data = try Data(contentsOf: file)
            let html = String(decoding: data, as: UTF8.self)
            let counter = ElementCounter()
            let parser = XMLParser(data: data)
            parser.delegate = counter
            #expect(parser.parse(), "well-formed: \(String(describing: parser.parserError))")
            #expect(counter.counts["svg", default: 0] >= 4)
            #expect(counter.counts["table", default: 0] >= 4)
            #expect(counter.counts["rect", default: 0] >= 6)
            #expect(counter.counts["script", default: 0] == 0)
            #expect(!html.contains("src=") && !html.contains("<link") && !html.contains("url("), "nothing fetched")
            #expect(html.contains("@page { size: A4"))
            #expect(html.contains(lang == "zh" ? "150.00005万元" : "¥1,500,000.50"))
            #expect(html.contains(lang == "zh" ? "lang=\"zh-CN\"" : "lang=\"en\""))
        }
    }
}

/// Counts the elements of an XML document by name.
final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        counts[elementName, default: 0] += 1
    }
}
