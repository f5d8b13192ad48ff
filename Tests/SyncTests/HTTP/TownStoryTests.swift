import Foundation
import HearthCLI
import HearthKit
import Synchronization
import Testing

/// `hearth demo --town`: the generator reaches the five-year report's figures exactly, and the
/// story (on a small sample town) syncs every node to the same report.
@Suite("The town demo")
struct TownStoryTests {
    @Test func theFullTownReachesTheFiguresOfTheFiveYearReport() {
        let plan = TownPlan.generate(.fiveYearReport)
        let totals = plan.totals
        #expect(totals.largestAttended == [300, 260], "the dinner and the help desk are the largest events")
        #expect(totals.talkPersonTimes > 12_000)
        #expect(totals.certificates == 985)
        #expect(totals.legalAidWorkers == 15_000)
        #expect(totals.disputeWorkers == 1_945 && totals.disputeFen == 3_200_000_000)
        #expect(totals.enterprisesReviewed == 60)
        #expect(totals.enrolments == 20_314)
        #expect(totals.claimsFen > 152_000_000 && totals.claimsFen < 153_000_000)
        #expect(Set(plan.entries.map(\.id)).count == plan.entries.count, "every record has its own id")
        #expect(plan.sites.count == 10)
    }

    @Test func aSampleTownSyncsEveryNodeToTheSameReport() async throws {
        let targets = TownTargets.sample
        let lines = Mutex<[String]>([])
        let html = FileManager.default.temporaryDirectory.appendingPathComponent("town-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: html) }
        let report = try await TownStory(targets: targets, htmlPath: html.path, language: .en) { line in
            lines.withLock { $0.append(line) }
        }
        .run()
        let story = lines.withLock { $0.joined(separator: "\n") }
        let agreed = try #require(report, "every node computes the same report: \(story)")
        #expect(agreed.largestEvents.prefix(2).map(\.attended) == [targets.dinner, targets.helpDesk])
        #expect(agreed.certificates == targets.certificates)
        #expect(agreed.legalAidWorkers == targets.legalAidWorkers)
        #expect(agreed.disputes.workers == targets.disputeWorkers && agreed.disputes.amountFen == targets.disputeFen)
        #expect(agreed.enterprisesReviewed.count == targets.enterprisesReviewed)
        #expect(
            agreed.mutualAid.enrolments == targets.enrolments && agreed.mutualAid.claimsPaidFen == targets.claimsFen)
        #expect(agreed.activitiesByKind.first { $0.key == "legal-aid" }?.attended == targets.talks)
        #expect(agreed.membersByCenter.count > 4)
        #expect(story.contains("compute the same report"))
        #expect(try String(contentsOf: html, encoding: .utf8).contains("<svg"))
    }
}
