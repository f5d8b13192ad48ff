public import Replica
public import SyncCore

/// Five years of a town federation's work, generated from a seed, split by the node that would
/// enter each record: members first (phase 1), then everything that refers to them (phase 2).
public struct TownPlan: Sendable {
    /// One record to write, with its id chosen in advance so other records can refer to it.
    public struct Entry: Sendable {
        public var type: RecordType
        public var id: String
        public var values: [String: FieldValue]
    }

    /// A node of the federation and what it enters: `setup` (members, planned events) before the first sync, `work` after it.
    public struct Site: Sendable {
        public enum Role: Sendable { case center, federation, laptop }
        public var name: String
        public var role: Role
        public var setup: [Entry] = []
        public var work: [Entry] = []
    }

    public var targets: TownTargets
    public var sites: [Site]

    /// Every entry of every site.
    public var entries: [Entry] { sites.flatMap { $0.setup + $0.work } }
}

extension TownPlan {
    /// The figures the report must quote after sync, computed from the plan alone (no replica).
    public struct Totals: Sendable, Hashable {
        public var members = 0
        public var largestAttended: [Int] = []
        public var talkPersonTimes = 0
        public var certificates = 0
        public var legalAidWorkers = 0
        public var disputeWorkers = 0
        public var disputeFen: Int64 = 0
        public var enterprisesReviewed = 0
        public var enrolments = 0
        public var claimsFen: Int64 = 0
    }

    public var totals: Totals {
        var totals = Totals()
        var attended: [String: Int] = [:]
        var kinds: [String: String] = [:]
        var reviewed: Set<String> = []
        for entry in entries {
            let v = entry.values
            switch entry.type.name {
            case "member": totals.members += 1
            case "activity": kinds[entry.id] = v["kind"]?.text
            case "participation" where v["status"]?.text == "attended":
                attended[v["activityId"]?.text ?? "", default: 0] += 1
            case "certificate": totals.certificates += 1
            case "enrolment": totals.enrolments += 1
            case "claim": totals.claimsFen += v["amountFen"].flatMap(Self.integer) ?? 0
            case "case":
                let workers = Int(v["workers"].flatMap(Self.integer) ?? 1)
                switch v["kind"]?.text {
                case "legal-aid", "consultation": totals.legalAidWorkers += workers
                case "labour-dispute":
                    totals.disputeWorkers += workers
                    totals.disputeFen += v["amountFen"].flatMap(Self.integer) ?? 0
                case "rules-review": reviewed.insert(v["enterprise"]?.text ?? "")
                default: break
                }
            default: break
            }
        }
        totals.enterprisesReviewed = reviewed.count
        totals.talkPersonTimes = attended.filter { kinds[$0.key] == "legal-aid" }.values.reduce(0, +)
        totals.largestAttended = Array(attended.values.sorted(by: >).prefix(2))
        return totals
    }

    static func integer(_ value: FieldValue) -> Int64? {
        if case .integer(let number) = value { return number }
        return nil
    }
}
