public import Foundation
import Hummingbird
public import Logging
public import Replica
import ServiceLifecycle

/// A sync server running inside this process on a loopback port: for the demo, tests and
/// benchmarks. `stop()` shuts it down gracefully and closes its database.
public final class EmbeddedServer: Sendable {
    /// The store it serves: SQLite, or any other (two embedded servers over one PostgreSQL).
    public let backend: any ServerStore
    public let service: SyncService
    /// The port the server listens on (chosen by the system when asked for port 0).
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// The SQLite store of a server started with `start(databasePath:)`; only for those.
    public var store: SQLiteServerStore {
        guard let queued = backend as? QueuedSQLiteStore else {
            preconditionFailure("this embedded server is not on SQLite; use `backend`")
        }
        return queued.base
    }

    private init(
        backend: any ServerStore, service: SyncService, port: Int, group: ServiceGroup, task: Task<Void, any Error>
    ) {
        self.backend = backend
        self.service = service
        self.port = port
        self.group = group
        self.task = task
    }

    /// Opens (or creates) the server database at `databasePath` and starts serving on 127.0.0.1.
    public static func start(
        databasePath: String, catalog: RecordCatalog = .hearth,
        configuration: ServerConfiguration = .init(host: "127.0.0.1", port: 0),
        logger: Logger = Logger(label: "hearth-server", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> EmbeddedServer {
        let store = try SQLiteServerStore(path: databasePath, catalog: catalog)
        do {
            return try await start(store: QueuedSQLiteStore(store), configuration: configuration, logger: logger)
        } catch {
            try? store.close()
            throw error
        }
    }

    /// Starts serving `store` on 127.0.0.1; `stop()` closes it.
    public static func start(
        store: any ServerStore, configuration: ServerConfiguration = .init(host: "127.0.0.1", port: 0),
        logger: Logger = Logger(label: "hearth-server", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> EmbeddedServer {
        let service = SyncService(store: store)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = ServerApplication.make(service: service, configuration: configuration, logger: logger) { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw ServerStartError(message: "the embedded server did not start listening")
        }
        return EmbeddedServer(backend: store, service: service, port: port, group: group, task: task)
    }

    public func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
        await service.finishStoreWork()
        try await backend.close()
    }
}

public struct ServerStartError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
