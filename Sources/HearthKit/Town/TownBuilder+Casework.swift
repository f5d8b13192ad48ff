import Replica
import SyncCore

extension TownBuilder {
    mutating func addCase(_ site: Int, _ values: [String: FieldValue], year: Int) {
        var values = values
        let month = Int.random(in: 1...12, using: &rng)
        let day = Int.random(in: 1...14, using: &rng)
        func text(_ d: Int) -> String { "\(year)-\(month < 10 ? "0" : "")\(month)-\(d < 10 ? "0" : "")\(d)" }
        values["openedOn"] = .text(text(day))
        values["center"] = .text(unitName(ofSite: site))
        if year == targets.years.upperBound, month == 12 {
            values["status"] = .text("open")
        } else {
            values["status"] = .text("closed")
            values["closedOn"] = .text(text(day + Int.random(in: 1...14, using: &rng)))
        }
        sites[site].work.append(Entry(type: HearthSchema.assistanceCase, id: rng.uuid(), values: values))
    }

    /// Legal aid, consultations, disputes, rules reviews, hardship aid and job referrals.
    mutating func addCases() {
        let individual = targets.legalAidWorkers / 8
        for _ in 0..<individual {
            let member = Int.random(in: 0..<members.count, using: &rng)
            addCase(
                Int.random(in: 0..<4, using: &rng),
                [
                    "kind": .text("legal-aid"), "memberId": .text(members[member].id),
                    "enterprise": .text(members[member].employer), "workers": .integer(1),
                    "outcome": .text(rng.pick(["协助签订劳动合同", "追回拖欠工资", "工伤认定已受理", "已提供法律意见"])),
                ], year: randomYear())
        }
        let rest = targets.legalAidWorkers - individual
        for workers in rng.split(Int64(rest), into: max(1, rest / 50), minimum: 5) {
            addCase(
                Int.random(in: 0..<8, using: &rng),
                [
                    "kind": .text("consultation"), "enterprise": .text(rng.pick(TownNames.employers)),
                    "workers": .integer(workers),
                ],
                year: randomYear())
        }
        let workers = rng.split(Int64(targets.disputeWorkers), into: targets.disputes, minimum: 3)
        let yuan = rng.split(targets.disputeFen / 100, into: targets.disputes, minimum: 1_000)
        for index in 0..<targets.disputes {
            addCase(
                Int.random(in: 0..<4, using: &rng),
                [
                    "kind": .text("labour-dispute"), "enterprise": .text(rng.pick(TownNames.employers)),
                    "workers": .integer(workers[index]), "amountFen": .integer(yuan[index] * 100),
                    "outcome": .text(rng.pick(["调解成功，工资全额发放", "仲裁裁决支持职工诉求", "企业分期支付欠薪"])),
                ], year: randomYear())
        }
        let places = TownNames.enterprisePlaces
        let kinds = TownNames.enterpriseKinds
        for index in rng.distinct(targets.enterprisesReviewed, below: places.count * kinds.count) {
            addCase(
                Int.random(in: 0..<4, using: &rng),
                [
                    "kind": .text("rules-review"),
                    "enterprise": .text(places[index / kinds.count] + kinds[index % kinds.count]),
                    "outcome": .text("提出修改意见"),
                ], year: randomYear())
        }
        for (kind, count) in [
            ("hardship-aid", targets.legalAidWorkers / 100), ("job-referral", targets.legalAidWorkers / 75),
        ] {
            for _ in 0..<count {
                let member = Int.random(in: 0..<members.count, using: &rng)
                addCase(
                    members[member].site % 8,
                    ["kind": .text(kind), "memberId": .text(members[member].id), "workers": .integer(1)],
                    year: randomYear())
            }
        }
    }

    /// Enrolments in the mutual-aid plan year by year, and the claims paid on them.
    mutating func addMutualAid() {
        for (offset, count) in targets.enrolmentsByYear.enumerated() {
            let year = targets.years.lowerBound + offset
            for member in rng.distinct(count, below: members.count) {
                let m = members[member]
                let id = DerivedID.make(type: "enrolment", key: [m.id, String(year)])
                sites[m.site].work.append(
                    Entry(
                        type: HearthSchema.enrolment, id: id,
                        values: [
                            "memberId": .text(m.id), "planYear": .integer(Int64(year)),
                            "paidInFen": .integer(offset < 2 ? 4_000 : 5_000), "center": .text(m.unit),
                        ]))
                enrolments.append((id, year, m.site))
            }
        }
        let amounts = rng.split(targets.claimsFen / 100, into: targets.claims, minimum: 200)
        for amount in amounts {
            let enrolment = rng.pick(enrolments)
            sites[enrolment.site].work.append(
                Entry(
                    type: HearthSchema.claim, id: rng.uuid(),
                    values: [
                        "enrolmentId": .text(enrolment.id), "paidOn": .text(date(in: enrolment.year)),
                        "amountFen": .integer(amount * 100),
                        "reason": .text(rng.pick(["住院医疗", "意外伤害", "重大疾病", "女职工特殊疾病", "身故慰问"])),
                    ]))
        }
    }
}

extension TownPlan {
    /// The town for `targets`, the same for the same seed.
    public static func generate(_ targets: TownTargets = .fiveYearReport, seed: UInt64 = 2021) -> TownPlan {
        var builder = TownBuilder(targets, seed: seed)
        builder.addMembers()
        builder.addEvents()
        builder.addCases()
        builder.addMutualAid()
        return TownPlan(targets: targets, sites: builder.sites)
    }
}
