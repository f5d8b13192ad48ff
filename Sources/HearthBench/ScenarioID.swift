/// The scenarios of issue 5 (B1–B7), issue 10 (B10), issue 11 (the `-pg` variants of B2 and
/// B5, on PostgreSQL), issue 12 (B12, field work) and issue 14 (B8 and B9, live sync), in the order
/// they run.
enum ScenarioID: String, CaseIterable, Sendable, Codable {
    case b1 = "B1", b2 = "B2", b2pg = "B2-pg", b2pg2 = "B2-pg2", b3 = "B3", b4 = "B4", b5 = "B5", b5pg = "B5-pg"
    case b5pg2 = "B5-pg2", b6 = "B6", b7 = "B7", b8 = "B8", b9 = "B9", b10 = "B10", b12 = "B12"

    /// How many servers share the PostgreSQL database; nil for a scenario on SQLite.
    var postgresServers: Int? {
        switch self {
        case .b2pg, .b5pg: 1
        case .b2pg2, .b5pg2: 2
        default: nil
        }
    }

    /// The scenario `text` names, ignoring case (`b2-PG` is B2-pg).
    init?(named text: String) {
        guard let id = Self.allCases.first(where: { $0.rawValue.uppercased() == text.uppercased() }) else { return nil }
        self = id
    }

    /// A short description with this run's sizes, for the table.
    func title(_ sizes: BenchSizes) -> String {
        let n = NumberText.grouped
        switch self {
        case .b1: return "insert \(n(sizes.members)) members: replica API vs raw SQLite"
        case .b2: return "initial sync of \(n(sizes.members)) members, node A → server → node B"
        case .b2pg: return "initial sync of \(n(sizes.members)) members, A → server on PostgreSQL → B"
        case .b2pg2: return "initial sync of \(n(sizes.members)) members, A → server 1, server 2 → B, one PostgreSQL"
        case .b3: return "no-op sync, \(n(sizes.noopSmall)) vs \(n(sizes.noopLarge)) records on both sides"
        case .b4: return "\(n(sizes.conflictRecords)) records edited on two nodes (same field), then sync"
        case .b5: return "\(sizes.nodes) nodes × \(n(sizes.changesPerNode)) changes syncing at once"
        case .b5pg: return "\(sizes.nodes) nodes × \(n(sizes.changesPerNode)) changes at once, server on PostgreSQL"
        case .b5pg2:
            return "\(sizes.nodes) nodes × \(n(sizes.changesPerNode)) changes at once, 2 servers on one PostgreSQL"
        case .b6: return "\(n(sizes.updates)) single-field updates (phone) pushed"
        case .b7: return "initial sync of \(n(sizes.initialSync)) members to a fresh node"
        case .b8: return "live sync: a write on node A until readable on node B, both watching"
        case .b9: return "\(n(sizes.watchers)) nodes watching one server idle, then one write fanned out to all"
        case .b10: return "\(n(sizes.members)) members, 90% deleted, tombstones collected: size and digest"
        case .b12: return "\(n(sizes.members)) members from a laptop through its center, by HTTP or change file"
        }
    }
}
