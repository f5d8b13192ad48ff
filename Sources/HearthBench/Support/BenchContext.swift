import Foundation

/// What every scenario gets: sizes, the workspace, the log, and state kept across runs.
final class BenchContext {
    let sizes: BenchSizes
    let workspace: BenchWorkspace
    let log: ProgressLog
    /// The `hearth-server` executable for scenarios that measure the server in its own process.
    let serverBinary: URL?
    /// The PostgreSQL cluster of the `-pg` scenarios (nil: they do not run).
    let postgres: PostgresCluster?
    /// B7's seeded server, built once and reused by every run.
    var largeServer: SeededServer?

    init(sizes: BenchSizes, workspace: BenchWorkspace, log: ProgressLog, serverBinary: URL?, postgres: PostgresCluster?)
    {
        self.sizes = sizes
        self.workspace = workspace
        self.log = log
        self.serverBinary = serverBinary
        self.postgres = postgres
    }

    /// The PostgreSQL cluster and server count of a `-pg` scenario; throws when it should not have run.
    func postgres(for id: ScenarioID) throws -> (cluster: PostgresCluster, servers: Int) {
        guard let postgres, let servers = id.postgresServers else {
            throw BenchFailure("\(id.rawValue) runs on PostgreSQL: \(PostgresCluster.howToEnable)")
        }
        return (postgres, servers)
    }

    func shutdown() async throws {
        if let largeServer {
            self.largeServer = nil
            try await largeServer.stop()
        }
    }
}
