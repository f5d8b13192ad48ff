/// The figures a federation's yearly or five-year report quotes, computed from one replica.
///
/// Counts are person-times where the report speaks of people reached: one participation is one
/// person-time, so a worker at three talks counts three times. Money is whole fen, exact.
/// Built by `FederationReport.load` (see `FederationReport+Loading.swift`); rendered as text,
/// JSON and HTML by its extensions.
public struct FederationReport: Sendable, Hashable {
    /// The dates the report covers (inclusive, `YYYY-MM-DD`) and the one center it is limited to.
    public struct Scope: Sendable, Hashable {
        public var from: String?
        public var to: String?
        public var center: String?

        public init(from: String? = nil, to: String? = nil, center: String? = nil) {
            self.from = from
            self.to = to
            self.center = center
        }

        /// Whether a date (or the date part of a timestamp) falls inside the scope's dates.
        public func contains(date: String) -> Bool {
            let day = String(date.prefix(10))
            if let from, day < from { return false }
            if let to, day > to { return false }
            return true
        }
    }

    /// Members of one center (or of all), split by residency.
    public struct MemberTally: Sendable, Hashable {
        public var center: String
        public var total = 0
        public var local = 0
        public var nonlocal = 0
    }

    /// Activities and their person-times under one key (a kind, a center or a month `2024-01`).
    public struct ActivityTally: Sendable, Hashable {
        public var key: String
        public var activities = 0
        /// Person-times registered (registered or attended; cancellations are not counted).
        public var registered = 0
        /// Person-times that came.
        public var attended = 0
    }

    /// One activity with its person-times, for the list of the largest events.
    public struct Event: Sendable, Hashable {
        public var title: String
        public var kind: String
        public var center: String
        public var startsAt: String
        public var registered: Int
        public var attended: Int
    }

    /// Cases of one kind: how many, the workers involved and the amounts at stake.
    public struct CaseTally: Sendable, Hashable {
        public var kind: String
        public var cases = 0
        public var workers = 0
        public var amountFen: Int64 = 0
    }

    /// One plan year of the mutual-aid insurance plan.
    public struct MutualAidYear: Sendable, Hashable {
        public var year: Int64
        public var enrolments = 0
        public var paidInFen: Int64 = 0
        public var claims = 0
        public var claimsPaidFen: Int64 = 0
    }

    public var scope: Scope
    public var members: MemberTally
    public var membersByCenter: [MemberTally]
    public var activities: ActivityTally
    public var activitiesByKind: [ActivityTally]
    public var activitiesByCenter: [ActivityTally]
    public var activitiesByMonth: [ActivityTally]
    public var largestEvents: [Event]
    public var certificates: Int
    public var certificatesByTrade: [(trade: String, count: Int)]
    public var casesByKind: [CaseTally]
    /// Workers served by legal aid: the workers of legal-aid and consultation cases (1 when a case
    /// does not say), which is how the federation counts "free legal aid for N workers".
    public var legalAidWorkers: Int
    /// Enterprises whose work rules were reviewed (distinct names of rules-review cases), sorted.
    public var enterprisesReviewed: [String]
    public var mutualAid: MutualAidYear
    public var mutualAidByYear: [MutualAidYear]

    /// The labour disputes: cases, workers involved and amount at stake.
    public var disputes: CaseTally {
        casesByKind.first { $0.kind == "labour-dispute" } ?? CaseTally(kind: "labour-dispute")
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.scope == rhs.scope && lhs.members == rhs.members && lhs.membersByCenter == rhs.membersByCenter
            && lhs.activities == rhs.activities && lhs.activitiesByKind == rhs.activitiesByKind
            && lhs.activitiesByCenter == rhs.activitiesByCenter && lhs.activitiesByMonth == rhs.activitiesByMonth
            && lhs.largestEvents == rhs.largestEvents && lhs.certificates == rhs.certificates
            && lhs.certificatesByTrade.map(\.trade) == rhs.certificatesByTrade.map(\.trade)
            && lhs.certificatesByTrade.map(\.count) == rhs.certificatesByTrade.map(\.count)
            && lhs.casesByKind == rhs.casesByKind && lhs.legalAidWorkers == rhs.legalAidWorkers
            && lhs.enterprisesReviewed == rhs.enterprisesReviewed && lhs.mutualAid == rhs.mutualAid
            && lhs.mutualAidByYear == rhs.mutualAidByYear
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members)
        hasher.combine(activities)
        hasher.combine(certificates)
    }
}
