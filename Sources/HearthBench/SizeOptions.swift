import ArgumentParser

/// Size overrides for the scenarios; anything not given keeps the size (or the quick one).
struct SizeOptions: ParsableArguments {
    @Option(help: "B1/B2/B10/B12 (and B2-pg, B2-pg2): members inserted and synced (default 100000).")
    var members: Int?
    @Option(help: "B3: records on both sides for the small no-op sync (default 1000).")
    var noopSmall: Int?
    @Option(help: "B3: records on both sides for the large no-op sync (default 100000).")
    var noopLarge: Int?
    @Option(help: "B3: no-op syncs timed per size (default 50).")
    var noopSamples: Int?
    @Option(help: "B4: records edited concurrently on two nodes (default 10000).")
    var conflictRecords: Int?
    @Option(help: "B5 (and B5-pg, B5-pg2): nodes syncing at once (default 50).")
    var nodes: Int?
    @Option(help: "B5 (and B5-pg, B5-pg2): changes per node (default 2000).")
    var changesPerNode: Int?
    @Option(help: "B6: single-field updates pushed (default 1000).")
    var updates: Int?
    @Option(help: "B7: members synced to a fresh node (default 1000000).")
    var initialSync: Int?
    @Option(help: "B9: nodes watching one server (default 2000).")
    var watchers: Int?

    func validate() throws {
        let given = [
            members, noopSmall, noopLarge, noopSamples, conflictRecords, nodes, changesPerNode, updates, initialSync,
            watchers,
        ]
        if given.contains(where: { ($0 ?? 1) < 1 }) { throw ValidationError("sizes must be at least 1") }
    }

    func resolved(quick: Bool) -> BenchSizes {
        var sizes = quick ? BenchSizes.quick : BenchSizes.full
        if let members { sizes.members = members }
        if let noopSmall { sizes.noopSmall = noopSmall }
        if let noopLarge { sizes.noopLarge = noopLarge }
        if let noopSamples { sizes.noopSamples = noopSamples }
        if let conflictRecords { sizes.conflictRecords = conflictRecords }
        if let nodes { sizes.nodes = nodes }
        if let changesPerNode { sizes.changesPerNode = changesPerNode }
        if let updates { sizes.updates = updates }
        if let initialSync { sizes.initialSync = initialSync }
        if let watchers { sizes.watchers = watchers }
        return sizes
    }
}

/// The sizes one benchmark run uses.
struct BenchSizes: Sendable, Codable {
    var members = 100_000
    var noopSmall = 1_000
    var noopLarge = 100_000
    var noopSamples = 50
    var conflictRecords = 10_000
    var nodes = 50
    var changesPerNode = 2_000
    var updates = 1_000
    var initialSync = 1_000_000
    var watchers = 2_000

    static let full = BenchSizes()
    static let quick = BenchSizes(
        members: 2_000, noopSmall: 100, noopLarge: 2_000, noopSamples: 5, conflictRecords: 300, nodes: 4,
        changesPerNode: 100, updates: 100, initialSync: 5_000, watchers: 20)
}

extension BenchSizes {
    private enum CodingKeys: String, CodingKey {
        case members, noopSmall, noopLarge, noopSamples, conflictRecords, nodes, changesPerNode, updates, initialSync
        case watchers
    }

    /// Reads the sizes of a run's JSON document; documents written before B9 have no `watchers`.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        members = try container.decode(Int.self, forKey: .members)
        noopSmall = try container.decode(Int.self, forKey: .noopSmall)
        noopLarge = try container.decode(Int.self, forKey: .noopLarge)
        noopSamples = try container.decode(Int.self, forKey: .noopSamples)
        conflictRecords = try container.decode(Int.self, forKey: .conflictRecords)
        nodes = try container.decode(Int.self, forKey: .nodes)
        changesPerNode = try container.decode(Int.self, forKey: .changesPerNode)
        updates = try container.decode(Int.self, forKey: .updates)
        initialSync = try container.decode(Int.self, forKey: .initialSync)
        watchers = try container.decodeIfPresent(Int.self, forKey: .watchers) ?? Self.full.watchers
    }
}
