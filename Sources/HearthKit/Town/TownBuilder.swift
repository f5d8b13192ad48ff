import Replica
import SyncCore

/// Builds a `TownPlan`: who enters what, with every total of `TownTargets` reached exactly.
struct TownBuilder {
    typealias Entry = TownPlan.Entry
    var targets: TownTargets
    var rng: TownRandom
    var sites: [TownPlan.Site]
    /// Each member's id, unit (center or federation), site index, employer and residency.
    var members: [(id: String, unit: String, site: Int, employer: String, nonlocal: Bool)] = []
    var enrolments: [(id: String, year: Int, site: Int)] = []
    /// Largest ordinary event, so the dinner and the help desk stay the largest.
    var eventSize: Int { max(4, min(150, targets.helpDesk * 2 / 3)) }
    var units: [String] { TownNames.centers + TownNames.federations }
    /// The sample of village federations that run their own node.
    static let federationNodes = 1...4

    init(_ targets: TownTargets, seed: UInt64) {
        self.targets = targets
        rng = TownRandom(seed: seed)
        sites =
            TownNames.centers.map { .init(name: $0, role: .center) }
            + Self.federationNodes.map { .init(name: TownNames.federations[$0], role: .federation) }
            + ["返乡服务台笔记本-1", "返乡服务台笔记本-2"].map { .init(name: $0, role: .laptop) }
    }

    /// The site that enters a unit's records: its own node, else the center it belongs to.
    func site(ofUnit index: Int) -> Int {
        if index < 4 { return index }
        let federation = index - 4
        if Self.federationNodes.contains(federation) { return 4 + federation - Self.federationNodes.lowerBound }
        return federation % 4
    }

    func unitName(ofSite site: Int) -> String { sites[site].name }

    mutating func date(in year: Int, months: ClosedRange<Int> = 1...12, days: ClosedRange<Int> = 1...28) -> String {
        let month = Int.random(in: months, using: &rng)
        let day = Int.random(in: days, using: &rng)
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    mutating func randomYear() -> Int { Int.random(in: targets.years, using: &rng) }

    mutating func addMembers() {
        for _ in 0..<targets.members {
            let unitIndex =
                Bool.random(using: &rng)
                ? Int.random(in: 0..<4, using: &rng) : Int.random(in: 0..<units.count, using: &rng)
            let nonlocal = Int.random(in: 0..<10, using: &rng) < 7
            let employer = rng.pick(TownNames.employers)
            let id = rng.uuid()
            let phone =
                "1\(rng.pick(["38", "39", "58", "86", "37"]))\(String(Int.random(in: 10_000_000...99_999_999, using: &rng)))"
            let site = site(ofUnit: unitIndex)
            let values: [String: FieldValue] = [
                "name": .text(TownNames.person(&rng)), "gender": .text(Bool.random(using: &rng) ? "男" : "女"),
                "phone": .text(phone), "employer": .text(employer), "center": .text(units[unitIndex]),
                "residency": .text(nonlocal ? "nonlocal" : "local"),
                "joinedOn": .text(date(in: targets.years.lowerBound - Int.random(in: 0...3, using: &rng))),
            ]
            sites[site].setup.append(Entry(type: HearthSchema.member, id: id, values: values))
            members.append((id, units[unitIndex], site, employer, nonlocal))
        }
    }

    /// An activity entered by `site`, in its setup or its work; returns its id.
    mutating func activity(
        _ site: Int, _ title: String, _ kind: String, starts: String, ends: String? = nil, capacity: Int? = nil,
        location: String, inSetup: Bool = false
    ) -> String {
        let id = rng.uuid()
        var values: [String: FieldValue] = [
            "title": .text(title), "kind": .text(kind), "center": .text(unitName(ofSite: min(site, 7))),
            "startsAt": .text(starts), "location": .text(location),
        ]
        if let ends { values["endsAt"] = .text(ends) }
        if let capacity { values["capacity"] = .integer(Int64(capacity)) }
        let entry = Entry(type: HearthSchema.activity, id: id, values: values)
        if inSetup { sites[site].setup.append(entry) } else { sites[site].work.append(entry) }
        return id
    }

    /// Registers `count` distinct members from `pool` (member indices), the first `attended` of
    /// them checked in; entered by `site`. Returns the member indices.
    @discardableResult
    mutating func participants(
        _ site: Int, activity: String, date: String, count: Int, attended: Int, pool: [Int]
    ) -> [Int] {
        let chosen = rng.distinct(count, below: pool.count).map { pool[$0] }
        for (position, member) in chosen.enumerated() {
            let memberID = members[member].id
            var values: [String: FieldValue] = [
                "memberId": .text(memberID), "activityId": .text(activity),
                "status": .text(position < attended ? "attended" : "registered"),
            ]
            if position < attended { values["checkedInAt"] = .text(date.prefix(10) + "T09:30:00+08:00") }
            let id = DerivedID.make(type: "participation", key: [memberID, activity])
            sites[site].work.append(Entry(type: HearthSchema.participation, id: id, values: values))
        }
        return chosen
    }
}
