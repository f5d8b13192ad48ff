public import Replica
import SyncCore

extension FederationReport {
    /// How many events the list of the largest events holds.
    public static let largestEventCount = 10

    /// Computes the report from the live records of a replica snapshot.
    ///
    /// Scope: activities by start date, cases by opening date, claims by payment date,
    /// certificates by issue date, enrolments by plan year (a year counts when any of its days is
    /// in scope); members are counted as they are now. With a center, members, activities, cases
    /// and enrolments of that center, certificates of its members and claims on its enrolments.
    public static func load(_ reader: ReplicaReader, scope: Scope = Scope()) throws -> FederationReport {
        func text(_ record: RecordSnapshot, _ field: String) -> String { record[field].text ?? "" }
        func number(_ record: RecordSnapshot, _ field: String) -> Int64? {
            if case .integer(let value) = record[field] { return value }
            return nil
        }
        let inCenter: (String) -> Bool = { center in scope.center.map { $0 == center } ?? true }

        let allMembers = try reader.list(HearthSchema.member)
        let memberCenter = Dictionary(uniqueKeysWithValues: allMembers.map { ($0.id, text($0, "center")) })
        var members = MemberTally(center: "")
        var byCenter: [String: MemberTally] = [:]
        func count(_ tally: inout MemberTally, _ residency: String) {
            tally.total += 1
            if residency == "local" { tally.local += 1 }
            if residency == "nonlocal" { tally.nonlocal += 1 }
        }
        for member in allMembers where inCenter(text(member, "center")) {
            let center = text(member, "center")
            count(&members, text(member, "residency"))
            count(&byCenter[center, default: MemberTally(center: center)], text(member, "residency"))
        }

        let activities = try reader.list(HearthSchema.activity).filter {
            inCenter(text($0, "center")) && scope.contains(date: text($0, "startsAt"))
        }
        var counts: [String: (registered: Int, attended: Int)] = [:]
        for participation in try reader.list(HearthSchema.participation) {
            let id = text(participation, "activityId")
            let status = text(participation, "status")
            guard status != "cancelled" else { continue }
            var count = counts[id] ?? (0, 0)
            count.registered += 1
            if status == "attended" { count.attended += 1 }
            counts[id] = count
        }
        var total = ActivityTally(key: "")
        var kinds: [String: ActivityTally] = [:]
        var centers: [String: ActivityTally] = [:]
        var months: [String: ActivityTally] = [:]
        var events: [Event] = []
        for activity in activities {
            let count = counts[activity.id] ?? (0, 0)
            func add(_ tally: inout ActivityTally) {
                tally.activities += 1
                tally.registered += count.registered
                tally.attended += count.attended
            }
            add(&total)
            let kind = text(activity, "kind")
            let center = text(activity, "center")
            let month = String(text(activity, "startsAt").prefix(7))
            add(&kinds[kind, default: ActivityTally(key: kind)])
            add(&centers[center, default: ActivityTally(key: center)])
            add(&months[month, default: ActivityTally(key: month)])
            events.append(
                Event(
                    title: text(activity, "title"), kind: kind, center: center,
                    startsAt: text(activity, "startsAt"), registered: count.registered, attended: count.attended))
        }
        events.sort {
            ($0.attended, $0.registered, $1.startsAt, $1.title) > ($1.attended, $1.registered, $0.startsAt, $0.title)
        }

        var trades: [String: Int] = [:]
        var certificates = 0
        for certificate in try reader.list(HearthSchema.certificate)
        where scope.contains(date: text(certificate, "issuedOn"))
            && inCenter(memberCenter[text(certificate, "memberId")] ?? "")
        {
            certificates += 1
            trades[text(certificate, "trade"), default: 0] += 1
        }

        var cases: [String: CaseTally] = [:]
        var legalAidWorkers = 0
        var reviewed: Set<String> = []
        for record in try reader.list(HearthSchema.assistanceCase)
        where inCenter(text(record, "center")) && scope.contains(date: text(record, "openedOn")) {
            let kind = text(record, "kind")
            let workers = Int(number(record, "workers") ?? 1)
            cases[kind, default: CaseTally(kind: kind)].cases += 1
            cases[kind]!.workers += workers
            cases[kind]!.amountFen += number(record, "amountFen") ?? 0
            if kind == "legal-aid" || kind == "consultation" { legalAidWorkers += workers }
            if kind == "rules-review", !text(record, "enterprise").isEmpty {
                reviewed.insert(text(record, "enterprise"))
            }
        }

        let fromYear = scope.from.flatMap { Int64($0.prefix(4)) } ?? Int64.min
        let toYear = scope.to.flatMap { Int64($0.prefix(4)) } ?? Int64.max
        var years: [Int64: MutualAidYear] = [:]
        var enrolmentYear: [String: Int64] = [:]
        for enrolment in try reader.list(HearthSchema.enrolment) {
            guard let year = number(enrolment, "planYear"), (fromYear...toYear).contains(year),
                inCenter(text(enrolment, "center"))
            else { continue }
            enrolmentYear[enrolment.id] = year
            years[year, default: MutualAidYear(year: year)].enrolments += 1
            years[year]!.paidInFen += number(enrolment, "paidInFen") ?? 0
        }
        for claim in try reader.list(HearthSchema.claim) where scope.contains(date: text(claim, "paidOn")) {
            guard let year = enrolmentYear[text(claim, "enrolmentId")] else { continue }
            years[year]!.claims += 1
            years[year]!.claimsPaidFen += number(claim, "amountFen") ?? 0
        }
        let byYear = years.values.sorted { $0.year < $1.year }
        var mutualAid = MutualAidYear(year: 0)
        for year in byYear {
            mutualAid.enrolments += year.enrolments
            mutualAid.paidInFen += year.paidInFen
            mutualAid.claims += year.claims
            mutualAid.claimsPaidFen += year.claimsPaidFen
        }

        return FederationReport(
            scope: scope, members: members,
            membersByCenter: byCenter.values.sorted { ($1.total, $0.center) < ($0.total, $1.center) },
            activities: total,
            activitiesByKind: kinds.values.sorted { ($1.attended, $0.key) < ($0.attended, $1.key) },
            activitiesByCenter: centers.values.sorted { ($1.attended, $0.key) < ($0.attended, $1.key) },
            activitiesByMonth: months.values.sorted { $0.key < $1.key },
            largestEvents: Array(events.prefix(largestEventCount)),
            certificates: certificates,
            certificatesByTrade: trades.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) },
            casesByKind: HearthSchema.caseKinds.compactMap { cases[$0] },
            legalAidWorkers: legalAidWorkers, enterprisesReviewed: reviewed.sorted(), mutualAid: mutualAid,
            mutualAidByYear: byYear)
    }
}
