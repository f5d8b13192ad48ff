import Replica
import SyncCore

extension TownBuilder {
    /// The dinner, the help desk, talks, contests and trainings (with the certificates they led
    /// to) and cultural events.
    mutating func addEvents() {
        let all = Array(members.indices)
        let lastYear = targets.years.upperBound
        let dinnerDate = "\(lastYear - 1)-02-08T18:00"
        let dinner = activity(
            0, "外来务工人员新春年夜饭", "holiday", starts: dinnerDate, capacity: targets.dinner, location: "镇职工服务中心大礼堂")
        participants(
            0, activity: dinner, date: dinnerDate, count: targets.dinner, attended: targets.dinner,
            pool: all.filter { members[$0].nonlocal })

        // Planned before the first sync, so the help-desk laptops have it when they go out.
        let desk = activity(
            0, "春运返乡服务台（汽车客运站）", "assistance", starts: "\(lastYear)-01-20T08:00", ends: "\(lastYear)-01-24T20:00",
            location: "汽车客运站", inSetup: true)
        let served = rng.distinct(targets.helpDesk, below: all.count)
        for (position, member) in served.enumerated() {
            let laptop = position < targets.helpDesk / 2 ? 8 : 9
            let memberID = members[member].id
            sites[laptop].work.append(
                Entry(
                    type: HearthSchema.participation, id: DerivedID.make(type: "participation", key: [memberID, desk]),
                    values: [
                        "memberId": .text(memberID), "activityId": .text(desk), "status": .text("attended"),
                        "checkedInAt": .text("\(lastYear)-01-2\(position % 5)T10:\(10 + position % 50):00+08:00"),
                    ]))
        }

        let talkTitles = ["劳动法律知识讲座", "安全生产宣传进企业", "《劳动合同法》宣讲会", "工伤维权知识讲座", "根治欠薪宣传活动", "女职工权益保护讲座"]
        let talkCount = max(1, (targets.talks + eventSize - 1) / (eventSize * 4 / 5))
        for (index, size) in rng.split(Int64(targets.talks), into: talkCount, minimum: Int64(eventSize / 2))
            .enumerated()
        {
            let site = index % 8
            let starts = date(in: randomYear()) + "T14:30"
            let talk = activity(
                site, rng.pick(talkTitles), "legal-aid", starts: starts, location: rng.pick(TownNames.employers))
            participants(site, activity: talk, date: starts, count: Int(size), attended: Int(size), pool: all)
        }

        var certified: [(member: Int, activity: String, trade: String, date: String, site: Int)] = []
        for year in targets.years {
            for trade in TownNames.trades {
                for (kind, title) in [("contest", "\(year)年\(trade)技能竞赛"), ("training", "\(trade)职业技能提升培训班")] {
                    let site = kind == "contest" ? 2 : Int.random(in: 0..<4, using: &rng)
                    let starts = date(in: year, months: 3...10)
                    let event = activity(site, title, kind, starts: starts, location: "工业园区实训基地")
                    let size = max(3, eventSize * 3 / 10)
                    let came = participants(
                        site, activity: event, date: starts, count: size, attended: size - 1, pool: all)
                    let issued = "\(year)-\(starts.dropFirst(5).prefix(2))-28"
                    certified += came.dropLast().map { ($0, event, trade, issued, site) }
                }
            }
        }
        for index in rng.distinct(targets.certificates, below: certified.count) {
            let c = certified[index]
            sites[c.site].work.append(
                Entry(
                    type: HearthSchema.certificate, id: rng.uuid(),
                    values: [
                        "memberId": .text(members[c.member].id), "activityId": .text(c.activity),
                        "trade": .text(c.trade),
                        "level": .text(rng.pick(["junior", "intermediate", "intermediate", "senior", "technician"])),
                        "issuedOn": .text(c.date),
                    ]))
        }

        let culture = ["职工拔河比赛", "职工文化艺术节", "职工子女暑期夏令营", "中秋游园会", "职工篮球联赛", "三八妇女节插花活动"]
        for year in targets.years {
            for title in culture {
                let site = Int.random(in: 0..<8, using: &rng)
                let starts = date(in: year) + "T19:00"
                let event = activity(
                    site, "\(year)年\(title)", "culture", starts: starts, location: unitName(ofSite: site))
                let size = Int.random(in: (eventSize / 2)...eventSize, using: &rng)
                participants(site, activity: event, date: starts, count: size, attended: size * 9 / 10, pool: all)
            }
        }
    }
}
