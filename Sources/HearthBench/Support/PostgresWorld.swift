import Foundation
import Replica
import ServerPostgres
import SyncClient
import SyncCore
import SyncServer
import Synchronization

/// Embedded servers (the real Hummingbird application on 127.0.0.1), each with its own store and
/// connections over one PostgreSQL database, and node replicas on disk registered there: the
/// world of `SyncWorld` with the central office on PostgreSQL.
final class PostgresWorld: Sendable {
    let servers: [EmbeddedServer]
    private let workspace: BenchWorkspace
    private let nodes = Mutex<[(node: BenchNode, path: String)]>([])

    private init(servers: [EmbeddedServer], workspace: BenchWorkspace) {
        self.servers = servers
        self.workspace = workspace
    }

    /// Starts `count` servers on `database`, as `count` `hearth-server` processes would be.
    static func start(_ workspace: BenchWorkspace, database: PostgresBenchDatabase, servers count: Int) async throws
        -> PostgresWorld
    {
        var servers: [EmbeddedServer] = []
        do {
            for _ in 0..<count {
                servers.append(
                    try await EmbeddedServer.start(store: try await PostgresServerStore.open(database.location)))
            }
        } catch {
            for server in servers { try? await server.stop() }
            throw error
        }
        return PostgresWorld(servers: servers, workspace: workspace)
    }

    /// Registers a node (through the first server's store) and creates its replica with the issued identity.
    func addNode(_ name: String) async throws -> BenchNode {
        let (registered, token) = try await servers[0].backend.addNode(name: name, canForward: false, id: nil, hub: nil)
        let path = workspace.databasePath(name)
        let node = BenchNode(replica: try Replica.create(at: path, name: name, nodeID: registered.id), token: token)
        nodes.withLock { $0.append((node, path)) }
        return node
    }

    /// One sync of `node` with server number `server`, with the shipped engine settings over HTTP.
    func sync(_ node: BenchNode, through server: Int) async throws -> SyncReport {
        let http = HTTPSyncTransport(baseURL: servers[server].baseURL, token: node.token)
        return try await SyncEngine(replica: node.replica, transport: http).sync()
    }

    /// Throws unless every node's digest equals the one each server reports.
    func requireConverged(_ nodes: [BenchNode], _ what: String) async throws {
        for server in servers {
            let expected = try await server.backend.feedPage(after: 0, for: nil, limit: 1).digest.hex
            for node in nodes {
                let digest = try node.replica.read { try $0.digest() }.hex
                guard digest == expected else {
                    throw BenchFailure(
                        "\(what): node \(node.replica.nodeID.short) has digest \(digest), a server \(expected)")
                }
            }
        }
    }

    func stop() async throws {
        let opened = nodes.withLock { list -> [(node: BenchNode, path: String)] in
            defer { list = [] }
            return list
        }
        for (node, path) in opened {
            try node.replica.close()
            workspace.remove(path)
        }
        for server in servers { try await server.stop() }
    }
}
