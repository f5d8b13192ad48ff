import AsyncHTTPClient
import Foundation
import HearthProtocol
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Replica
import SyncClient
import SyncCore
import SyncServer

/// A real `hearth-server` on 127.0.0.1 (random port) plus node replicas syncing over HTTP.
final class LiveCluster {
    let directory: URL
    let server: EmbeddedServer
    private(set) var tokens: [NodeID: String] = [:]

    private init(directory: URL, server: EmbeddedServer) {
        self.directory = directory
        self.server = server
    }

    static func start(configuration: ServerConfiguration = .init(host: "127.0.0.1", port: 0)) async throws
        -> LiveCluster
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "hearth-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = try await EmbeddedServer.start(
            databasePath: directory.appendingPathComponent("server.db").path, configuration: configuration)
        return LiveCluster(directory: directory, server: server)
    }

    /// Registers a node on the server and creates its replica with the issued identity.
    func addNode(_ name: String, forward: Bool = false, hub: NodeID? = nil) throws -> Replica {
        let (node, token) = try server.store.addNode(name: name, canForward: forward, hub: hub)
        tokens[node.id] = token
        return try Replica.create(
            at: directory.appendingPathComponent("\(node.id).db").path, name: name, nodeID: node.id)
    }

    func transport(for replica: Replica, token: String? = nil) -> HTTPSyncTransport {
        HTTPSyncTransport(baseURL: server.baseURL, token: token ?? tokens[replica.nodeID]!)
    }

    @discardableResult
    func sync(_ replica: Replica, pageSize: Int = 500) async throws -> SyncReport {
        var configuration = SyncEngine.Configuration()
        configuration.pushPageSize = pageSize
        configuration.pullPageSize = pageSize
        return try await SyncEngine(replica: replica, transport: transport(for: replica), configuration: configuration)
            .sync()
    }

    /// Sends a raw request, for checking status codes and error bodies.
    func raw(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: Data? = nil
    ) async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: server.baseURL.absoluteString + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let payload = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), Data(buffer: payload))
    }

    func shutdown() async throws {
        try await server.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

extension Replica {
    /// Shown values of every live record of `type`, by id: what `list --json` would show.
    func snapshot(_ type: RecordType) throws -> [String: [String: FieldValue]] {
        try read { reader in
            Dictionary(uniqueKeysWithValues: try reader.list(type).map { ($0.id, $0.values) })
        }
    }
}
