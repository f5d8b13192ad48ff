import Foundation

/// What every scenario gets: sizes, the workspace, the log, and state kept across runs.
final class BenchContext {
    let sizes: BenchSizes
    let workspace: BenchWorkspace
    let log: ProgressLog
    /// The `hearth-server` executable for scenarios that measure the server in its own process.
    let serverBinary: URL?
    /// B7's seeded server, built once and reused by every run.
    var largeServer: SeededServer?

    init(sizes: BenchSizes, workspace: BenchWorkspace, log: ProgressLog, serverBinary: URL?) {
        self.sizes = sizes
        self.workspace = workspace
        self.log = log
        self.serverBinary = serverBinary
    }

    func shutdown() async throws {
        if let largeServer {
            self.largeServer = nil
            try await largeServer.stop()
        }
    }
}
