import Foundation
import ServerPostgres
import SyncCore
import SyncServer

extension ManyNodesScenario {
    /// Where B5's server database is: a SQLite file with one server, or a PostgreSQL database
    /// with one server or more (each its own process, all on the same database).
    enum Store {
        case sqlite(path: String)
        case postgres(PostgresBenchDatabase, servers: Int)

        var serverCount: Int {
            switch self {
            case .sqlite: 1
            case .postgres(_, let servers): servers
            }
        }

        /// Registers the nodes named `names` in the server database, which is closed again
        /// before any server opens it.
        func register(_ names: [String]) async throws -> [(id: NodeID, token: String)] {
            var registrations: [(id: NodeID, token: String)] = []
            switch self {
            case .sqlite(let path):
                let store = try SQLiteServerStore(path: path)
                do {
                    for name in names {
                        let (node, token) = try store.addNode(name: name, canForward: false, id: nil)
                        registrations.append((node.id, token))
                    }
                } catch {
                    try? store.close()
                    throw error
                }
                try store.close()
            case .postgres(let database, _):
                let store = try await PostgresServerStore.open(database.location)
                do {
                    for name in names {
                        let (node, token) = try await store.addNode(name: name, canForward: false, id: nil, hub: nil)
                        registrations.append((node.id, token))
                    }
                } catch {
                    try? await store.close()
                    throw error
                }
                try await store.close()
            }
            return registrations
        }

        /// Starts every server; `logPath(n)` is where server n writes its log.
        func startServers(_ context: BenchContext, logPath: (Int) -> String) async throws -> [RunningServer] {
            switch self {
            case .sqlite(let path):
                let server = try await RunningServer.start(context, store: ["--db", path], logPath: logPath(0)) {
                    try await EmbeddedServer.start(databasePath: path)
                }
                return [server]
            case .postgres(let database, let servers):
                var started: [RunningServer] = []
                do {
                    for index in 0..<servers {
                        started.append(
                            try await RunningServer.start(
                                context, store: ["--database", database.url], logPath: logPath(index)
                            ) {
                                try await EmbeddedServer.start(
                                    store: try await PostgresServerStore.open(database.location))
                            })
                    }
                } catch {
                    for server in started { try? await server.stop() }
                    throw error
                }
                return started
            }
        }

        /// The live members the server database holds (read after the servers stopped).
        func memberCount() async throws -> Int {
            switch self {
            case .sqlite(let path): try RawInsert.count("member", in: path)
            case .postgres(let database, _): try await database.memberCount()
            }
        }
    }
}
