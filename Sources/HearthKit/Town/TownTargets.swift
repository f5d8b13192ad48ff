/// The totals the generated town must reach: the federation's five-year report, or a small sample.
public struct TownTargets: Sendable, Hashable {
    public var members: Int
    /// Person-times at the New Year's dinner for non-local workers.
    public var dinner: Int
    /// Person-times served by the five-day return-home help desk.
    public var helpDesk: Int
    /// Person-times reached by legal-aid talks and campaigns.
    public var talks: Int
    public var certificates: Int
    /// Workers given free legal aid (individual cases plus group consultations).
    public var legalAidWorkers: Int
    public var disputes: Int
    public var disputeWorkers: Int
    public var disputeFen: Int64
    public var enterprisesReviewed: Int
    /// Enrolments in the mutual-aid plan for each year of `years`.
    public var enrolmentsByYear: [Int]
    public var claims: Int
    public var claimsFen: Int64
    public var years: ClosedRange<Int>

    public var enrolments: Int { enrolmentsByYear.reduce(0, +) }

    /// The figures of the five-year report that Hearth exists for.
    public static let fiveYearReport = TownTargets(
        members: 6_000, dinner: 300, helpDesk: 260, talks: 12_180, certificates: 985, legalAidWorkers: 15_000,
        disputes: 38, disputeWorkers: 1_945, disputeFen: 3_200_000_000, enterprisesReviewed: 60,
        enrolmentsByYear: [3_612, 3_890, 4_105, 4_236, 4_471], claims: 640, claimsFen: 152_680_000,
        years: 2021...2025)

    /// A town a hundred times smaller, for tests: the same story in a second.
    public static let sample = TownTargets(
        members: 80, dinner: 30, helpDesk: 26, talks: 120, certificates: 12, legalAidWorkers: 150, disputes: 4,
        disputeWorkers: 40, disputeFen: 10_000_000, enterprisesReviewed: 6, enrolmentsByYear: [30, 40], claims: 8,
        claimsFen: 1_000_000, years: 2024...2025)
}
