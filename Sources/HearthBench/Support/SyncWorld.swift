import Foundation
import Replica
import SyncClient
import SyncCore
import SyncServer
import Synchronization

/// A node replica registered on a server, with the token the server issued for it.
struct BenchNode: Sendable {
    let replica: Replica
    let token: String
}

/// The node replicas a bench world created on disk: closed and removed together when it stops.
final class BenchNodeFiles: Sendable {
    private let workspace: BenchWorkspace
    private let opened = Mutex<[(node: BenchNode, path: String)]>([])

    init(_ workspace: BenchWorkspace) {
        self.workspace = workspace
    }

    /// Creates the replica of a node a server registered as `id`, issuing it `token`.
    func create(_ name: String, id: NodeID, token: String) throws -> BenchNode {
        let path = workspace.databasePath(name)
        let node = BenchNode(replica: try Replica.create(at: path, name: name, nodeID: id), token: token)
        opened.withLock { $0.append((node, path)) }
        return node
    }

    func closeAll() throws {
        let nodes = opened.withLock { list -> [(node: BenchNode, path: String)] in
            defer { list = [] }
            return list
        }
        for (node, path) in nodes {
            try node.replica.close()
            workspace.remove(path)
        }
    }

    /// Throws unless every node's digest is `expected`, the digest `server` reports.
    static func requireDigests(_ nodes: [BenchNode], equal expected: String, of server: String, _ what: String) throws {
        for node in nodes {
            let digest = try node.replica.read { try $0.digest() }.hex
            guard digest == expected else {
                throw BenchFailure(
                    "\(what): node \(node.replica.nodeID.short) has digest \(digest), \(server) \(expected)")
            }
        }
    }
}

/// An embedded `hearth-server` (the real Hummingbird application on 127.0.0.1, random port) and
/// node replicas on disk registered on it: the product's own code paths end to end.
final class SyncWorld: Sendable {
    let server: EmbeddedServer
    private let workspace: BenchWorkspace
    private let serverPath: String
    private let nodes: BenchNodeFiles

    private init(server: EmbeddedServer, workspace: BenchWorkspace, serverPath: String) {
        self.server = server
        self.workspace = workspace
        self.serverPath = serverPath
        nodes = BenchNodeFiles(workspace)
    }

    static func start(_ workspace: BenchWorkspace, name: String) async throws -> SyncWorld {
        let path = workspace.databasePath("\(name)-server")
        let server = try await EmbeddedServer.start(databasePath: path)
        return SyncWorld(server: server, workspace: workspace, serverPath: path)
    }

    /// Registers a node on the server (`forward`: as a hub) and creates its replica with the issued identity.
    func addNode(_ name: String, forward: Bool = false) throws -> BenchNode {
        let (registered, token) = try server.store.addNode(name: name, canForward: forward, id: nil)
        return try nodes.create(name, id: registered.id, token: token)
    }

    /// One sync of `node` with the shipped engine settings over HTTP, through `transport` if given.
    @discardableResult
    func sync(_ node: BenchNode, transport: (any SyncTransport)? = nil) async throws -> SyncReport {
        let http = transport ?? HTTPSyncTransport(baseURL: server.baseURL, token: node.token)
        return try await SyncEngine(replica: node.replica, transport: http).sync()
    }

    var serverDigest: String {
        get throws { try server.store.replica.read { try $0.digest() }.hex }
    }

    /// Throws unless every node's digest equals the server's.
    func requireConverged(_ nodes: [BenchNode], _ what: String) throws {
        try BenchNodeFiles.requireDigests(nodes, equal: try serverDigest, of: "the server", what)
    }

    func stop() async throws {
        try self.nodes.closeAll()
        try await server.stop()
        workspace.remove(serverPath)
    }
}

/// Two nodes and a server that all hold the same records (what B2 leaves behind, B3 reuses).
struct SyncedPair {
    var world: SyncWorld
    var a: BenchNode
    var b: BenchNode
    var records: Int

    func stop() async throws { try await world.stop() }
}

extension Replica {
    /// Inserts `rows` as members in one write transaction through the replica API (change capture included).
    func insertMembers(_ rows: some Collection<MemberRow>) throws {
        try write { transaction in
            for row in rows {
                try transaction.write(HearthSchema.member, id: row.id, row.values, mustExist: false)
            }
        }
    }

    /// How many live members this replica holds.
    func memberCount() throws -> Int {
        try read { try $0.count(HearthSchema.member) }
    }
}
