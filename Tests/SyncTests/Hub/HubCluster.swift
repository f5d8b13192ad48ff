import Foundation
import HearthProtocol
import Replica
import SyncClient
import SyncCore
import SyncServer

/// A central server, centers, and centers serving their laptops (`hearth serve`), all on
/// 127.0.0.1 with random ports: the three tiers of field work, synced over real HTTP.
final class HubCluster {
    let central: LiveCluster
    /// Each serving center's own server, by the center's node id.
    private(set) var hubs: [NodeID: (store: SQLiteServerStore, server: EmbeddedServer)] = [:]
    /// Each laptop's token (valid at its hub and, once the hub has synced, at the central office).
    private(set) var laptopTokens: [NodeID: String] = [:]
    private(set) var hubOfLaptop: [NodeID: NodeID] = [:]

    private init(central: LiveCluster) { self.central = central }

    static func start() async throws -> HubCluster { HubCluster(central: try await LiveCluster.start()) }

    /// A center registered at the central office; `forward` makes it a hub there.
    func addCenter(_ name: String, forward: Bool = true) throws -> Replica {
        try central.addNode(name, forward: forward)
    }

    /// Starts `hearth serve` for `center`: its own replica, served on a random loopback port.
    func serve(_ center: Replica) async throws {
        let store = try SQLiteServerStore.hub(center)
        hubs[center.nodeID] = (store, try await EmbeddedServer.start(store: QueuedSQLiteStore(store)))
    }

    /// Registers a laptop at `hub` (`hearth node add`) and creates its replica with that identity.
    func addLaptop(_ name: String, at hub: Replica) throws -> Replica {
        let store = try hubStore(of: hub)
        let (node, token) = try store.addNode(name: name, canForward: false)
        laptopTokens[node.id] = token
        hubOfLaptop[node.id] = hub.nodeID
        return try Replica.create(
            at: central.directory.appendingPathComponent("\(node.id).db").path, name: name, nodeID: node.id)
    }

    /// Stops serving `center`, puts the copy at `backup` in place of its replica (an older copy of
    /// itself, as a restore from a backup gives), and serves the copy; returns it.
    func restore(_ center: Replica, from backup: String) async throws -> Replica {
        guard let hub = hubs.removeValue(forKey: center.nodeID) else { throw HubClusterError.notServing }
        try await hub.server.stop()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: center.path + suffix) }
        try FileManager.default.copyItem(atPath: backup, toPath: center.path)
        let restored = try Replica.open(at: center.path)
        try await serve(restored)
        return restored
    }

    func hubStore(of hub: Replica) throws -> SQLiteServerStore {
        guard let store = hubs[hub.nodeID]?.store else { throw HubClusterError.notServing }
        return store
    }

    /// The transport a laptop syncs with its center through.
    func laptopTransport(_ laptop: Replica) throws -> HTTPSyncTransport {
        guard let hub = hubOfLaptop[laptop.nodeID], let server = hubs[hub]?.server else {
            throw HubClusterError.notServing
        }
        return HTTPSyncTransport(baseURL: server.baseURL, token: laptopTokens[laptop.nodeID]!)
    }

    /// A laptop syncs with its center over the center's network.
    @discardableResult
    func syncAtHub(_ laptop: Replica) async throws -> SyncReport {
        try await SyncEngine(replica: laptop, transport: try laptopTransport(laptop)).sync()
    }

    /// A laptop syncs straight with the central office (a volunteer gone home), with its token.
    @discardableResult
    func syncDirect(_ laptop: Replica) async throws -> SyncReport {
        let transport = HTTPSyncTransport(baseURL: central.server.baseURL, token: laptopTokens[laptop.nodeID]!)
        return try await SyncEngine(replica: laptop, transport: transport).sync()
    }

    /// A center syncs with the central office, telling it about its laptops if it serves any.
    @discardableResult
    func syncUpstream(_ center: Replica) async throws -> SyncReport {
        var laptops: (@Sendable () throws -> [HubLaptopsRequest.Laptop])?
        if let store = hubs[center.nodeID]?.store {
            laptops = { try store.laptopsForUpstream().map(\.wire) }
        }
        return try await SyncEngine(replica: center, transport: central.transport(for: center), hubLaptops: laptops)
            .sync()
    }

    func shutdown() async throws {
        for (_, hub) in hubs { try await hub.server.stop() }
        try await central.shutdown()
    }
}

enum HubClusterError: Error { case notServing }
