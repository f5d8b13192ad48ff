import Foundation
import Testing

/// The five-day help desk at the bus station, as the issue tells it and as a new user would run
/// it: a center serves two laptops on loopback; one laptop registers 260 walk-ins over five days
/// offline, carries a change file to the center on the third day and syncs over the center's
/// network on the fifth; the central office and another center then see every registration
/// once, and `hearth attendance` agrees on every replica.
@Suite(.serialized, .oneProcessTestAtATime) struct HelpDeskStoryTests {
    static let people = 260
    static let perDay = 52

    @Test func aFiveDayHelpDeskReachesTheWholeTownOnce() throws {
        let site = try FieldSite()
        defer { site.stop() }
        let center = "沙头服务中心", park = "体育公园服务中心", desk = "汽车站服务台", canteen = "工厂食堂"
        try site.addCenter(center, forward: true)
        try site.addCenter(park, forward: false)
        try site.serve(center)
        _ = try site.addLaptop(desk, at: center)
        _ = try site.addLaptop(canteen, at: center)
        let activity = try #require(
            try site.json(
                center,
                [
                    "activity", "add", "--title", "春运返乡服务台", "--kind", "assistance", "--starts", "2026-02-10",
                    "--ends", "2026-02-14", "--center", center, "--location", "汽车站",
                ]) as? [String: Any])
        let activityID = try #require(activity["id"] as? String)
        try site.succeed(center, ["sync"])
        try site.succeed(desk, ["sync"])
        try site.succeed(canteen, ["sync"])
        let status = try #require(try site.json(desk, ["status"]) as? [String: Any])
        let centerID = try #require(status["serverNode"] as? String)

        // Five days offline at the desk; on the evening of day 3 a USB stick goes to the center.
        var person = 0
        for day in 1...5 {
            for _ in 0..<Self.perDay {
                let phone = String(format: "1390%07d", person)
                try site.succeed(
                    desk,
                    ["checkin", "--walk-in", "--name", "返乡工友\(person)", "--phone", phone, activityID])
                person += 1
            }
            if day == 3 {
                let file = site.directory.appendingPathComponent("day3.hearth").path
                try site.succeed(desk, ["bundle", "export", "--out", file, "--for", centerID])
                let imported = try #require(try site.json(center, ["bundle", "import", file]) as? [String: Any])
                #expect(imported["accepted"] as? Int == 3 * Self.perDay * 2)  // a member and a participation each
                #expect((imported["refused"] as? [Any])?.isEmpty == true)
            }
        }
        try site.succeed(desk, ["sync"])
        try site.succeed(center, ["sync"])
        try site.succeed(park, ["sync"])
        try site.succeed(canteen, ["sync"])
        try site.succeed(desk, ["sync"])

        var answers: [String: String] = [:]
        // "central" is the central office's own database (`FieldSite.path`): read it the same way.
        for replica in [center, park, desk, canteen, "central"] {
            let attendance = try #require(try site.json(replica, ["attendance", activityID]) as? [String: Any])
            answers[replica] = String(
                decoding: try JSONSerialization.data(withJSONObject: attendance, options: .sortedKeys), as: UTF8.self)
            let members = try #require(try site.json(replica, ["member", "list"]) as? [[String: Any]])
            #expect(members.count == Self.people, "\(replica) holds \(members.count) members")
            #expect(Set(members.compactMap { $0["phone"] as? String }).count == Self.people)
            let check = try #require(try site.json(replica, ["check"]) as? [String: Any])
            #expect(check["integrity"] as? String == "ok" && check["digestConsistent"] as? Bool == true)
            if replica != "central" {
                #expect(check["matchesServerAtLastSync"] as? Bool == true, "\(replica) differs from its server")
            }
        }
        #expect(Set(answers.values).count == 1, "attendance differs between replicas")
        let one = try #require(try site.json(park, ["attendance", activityID]) as? [String: Any])
        #expect(one["registered"] as? Int == Self.people && one["attended"] as? Int == Self.people)
    }
}
