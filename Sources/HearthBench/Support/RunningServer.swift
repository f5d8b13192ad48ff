import Foundation
import SyncServer

/// A server the nodes sync against: `hearth-server serve` in a child process, or embedded when the
/// executable cannot be found (then its memory is not measured).
enum RunningServer {
    case process(ServerProcess)
    case embedded(EmbeddedServer)

    /// Starts `hearth-server serve` with `store` (its `--db` or `--database` arguments), or
    /// `embedded()` when there is no executable.
    static func start(
        _ context: BenchContext, store: [String], logPath: String,
        embedded: () async throws -> EmbeddedServer
    ) async throws -> RunningServer {
        guard let binary = context.serverBinary else { return .embedded(try await embedded()) }
        return .process(try await ServerProcess.start(binary: binary, store: store, logPath: logPath))
    }

    var baseURL: URL {
        switch self {
        case .process(let server): server.baseURL
        case .embedded(let server): server.baseURL
        }
    }

    /// The child process, whose memory and CPU can be read; nil for an embedded server.
    var process: ServerProcess? {
        if case .process(let server) = self { return server }
        return nil
    }

    var peakResidentBytes: Int? { process?.peakResidentBytes }
    var cpuSeconds: Double? { process?.cpuSeconds }
    var residentBytes: Int? { process?.residentBytes }

    func stop() async throws {
        switch self {
        case .process(let server): server.stop()
        case .embedded(let server): try await server.stop()
        }
    }
}
