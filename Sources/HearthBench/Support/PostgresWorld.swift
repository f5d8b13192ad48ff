import Foundation
import Replica
import ServerPostgres
import SyncClient
import SyncCore
import SyncServer

/// Embedded servers (the real Hummingbird application on 127.0.0.1), each with its own store and
/// connections over one PostgreSQL database, and node replicas on disk registered there: the
/// world of `SyncWorld` with the central office on PostgreSQL.
final class PostgresWorld: Sendable {
    let servers: [EmbeddedServer]
    private let nodes: BenchNodeFiles

    private init(servers: [EmbeddedServer], workspace: BenchWorkspace) {
        self.servers = servers
        nodes = BenchNodeFiles(workspace)
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
        return try nodes.create(name, id: registered.id, token: token)
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
            try BenchNodeFiles.requireDigests(nodes, equal: expected, of: "a server", what)
        }
    }

    func stop() async throws {
        try self.nodes.closeAll()
        for server in servers { try await server.stop() }
    }
}
