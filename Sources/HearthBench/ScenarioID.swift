/// The scenarios of issue 5 (B1–B7) and issue 10 (B10), in the order they run.
enum ScenarioID: String, CaseIterable, Sendable, Codable {
    case b1 = "B1", b2 = "B2", b3 = "B3", b4 = "B4", b5 = "B5", b6 = "B6", b7 = "B7", b10 = "B10"

    /// A short description with this run's sizes, for the table.
    func title(_ sizes: BenchSizes) -> String {
        let n = NumberText.grouped
        switch self {
        case .b1: return "insert \(n(sizes.members)) members: replica API vs raw SQLite"
        case .b2: return "initial sync of \(n(sizes.members)) members, node A → server → node B"
        case .b3: return "no-op sync, \(n(sizes.noopSmall)) vs \(n(sizes.noopLarge)) records on both sides"
        case .b4: return "\(n(sizes.conflictRecords)) records edited on two nodes (same field), then sync"
        case .b5: return "\(sizes.nodes) nodes × \(n(sizes.changesPerNode)) changes syncing at once"
        case .b6: return "\(n(sizes.updates)) single-field updates (phone) pushed"
        case .b7: return "initial sync of \(n(sizes.initialSync)) members to a fresh node"
        case .b10: return "\(n(sizes.members)) members, 90% deleted, tombstones collected: size and digest"
        }
    }
}
