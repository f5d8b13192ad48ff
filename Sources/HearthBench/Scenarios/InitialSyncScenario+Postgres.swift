extension InitialSyncScenario {
    /// B2-pg and B2-pg2: B2 with the server on a fresh database of the PostgreSQL cluster.
    ///
    /// With one server, node A pushes to it and node B pulls from it. With two, both embedded
    /// over the same database, A pushes through server 1 and B pulls through server 2: what B
    /// gets was written by another server, as in a central office behind a load balancer.
    static func run(_ context: BenchContext, onPostgres id: ScenarioID) async throws -> [Figure] {
        let (cluster, servers) = try context.postgres(for: id)
        let count = context.sizes.members
        let workspace = context.workspace
        let prefix = id.rawValue.lowercased()
        let rows = MemberRow.generate(count: count, seed: InsertScenario.seed)
        let rawTwice = try rawInsertTwice(RowArena(rows), workspace: workspace, prefix: prefix)
        return try await cluster.withFreshDatabase { database in
            let world = try await PostgresWorld.start(workspace, database: database, servers: servers)
            do {
                let a = try await world.addNode("\(prefix)-node-a")
                try a.replica.insertMembers(rows)
                let b = try await world.addNode("\(prefix)-node-b")
                let (pushed, pushSeconds) = try await Stopwatch.time { try await world.sync(a, through: 0) }
                let (pulled, pullSeconds) = try await Stopwatch.time {
                    try await world.sync(b, through: servers - 1)
                }
                try requireComplete(id, pushed: pushed, pulled: pulled, count: count)
                try await world.requireConverged([a, b], id.rawValue)
                try await world.stop()
                return syncFigures(
                    id, count: count, pushSeconds: pushSeconds, pullSeconds: pullSeconds, rawTwice: rawTwice)
            } catch {
                try? await world.stop()
                throw error
            }
        }
    }
}
