import Foundation
import GRDB
import Replica
import SyncClient
import SyncCore
import SyncServer

/// A server and its nodes in one temporary directory, syncing over a `SimulatedNetwork`.
///
/// The server is the real `SyncService` over a real store (`server`: SQLite by default, or
/// several services over one PostgreSQL database, `withPostgres`); every node is a real
/// `Replica` synced by the real `SyncEngine`. Not `Sendable`: one task drives it, one step at a
/// time. Call `close()` when done (it deletes the directory).
final class SimulatedWorld {
    let directory: URL
    let clock: SimulatedClock
    let server: any ServerSide
    let network: SimulatedNetwork
    private(set) var nodes: [SimulatedNode] = []
    /// Laptops whose link to their hub is currently cut.
    var cutLaptopLinks: Set<NodeID> = []
    /// Writes that syncs moved to a new writer identity, until the schedule gives them to its model.
    var renumberings: [WriteRenumbering] = []
    /// What the simulation itself could not do (read a replica after a sync…): the run is void.
    var problems: [String] = []

    /// The SQLite server's own replica, for the scenario tests that read it directly. A world
    /// over PostgreSQL has none: everything reads the server through `server`.
    var serverReplica: Replica {
        guard let sqlite = server as? SQLiteServerSide else {
            preconditionFailure("a world over PostgreSQL has no server replica; read it through `server`")
        }
        return sqlite.replica
    }

    /// Nodes that sync with the server themselves (centers and hubs).
    var syncingNodes: [SimulatedNode] { nodes.filter(\.syncsWithServer) }
    var laptops: [SimulatedNode] { nodes.filter(\.isLaptop) }

    /// Replica files are copied from `templates` when given, else created from scratch.
    private let templates: ReplicaTemplates?

    /// A world over one `SQLiteServerStore` in its directory.
    convenience init(networkSeed: UInt64 = 0, templates: ReplicaTemplates? = nil) throws {
        let directory = try Self.makeDirectory()
        let clock = SimulatedClock()
        let store: SQLiteServerStore
        do {
            let path = directory.appendingPathComponent("server.hearth").path
            store =
                try templates?.serverStore(at: path, wallClock: clock.reading())
                ?? SQLiteServerStore(path: path, wallClock: clock.reading())
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        self.init(
            directory: directory, clock: clock, server: SQLiteServerSide(store: store, wallClock: clock.reading()),
            networkSeed: networkSeed, templates: templates)
    }

    /// A world over `server`, whose clock is `clock`, in `directory` (which it deletes on `close`).
    init(
        directory: URL, clock: SimulatedClock, server: any ServerSide, networkSeed: UInt64, templates: ReplicaTemplates?
    ) {
        self.directory = directory
        self.clock = clock
        self.server = server
        self.templates = templates
        network = SimulatedNetwork(services: server.services, seed: networkSeed)
    }

    /// A new temporary directory for a world.
    static func makeDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "hearth-convergence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Registers a node with the server under the id `id`, and creates its replica with the
    /// declarations of its release (`catalog`).
    ///
    /// The node is registered under `id` (as a replica created offline would be) so that a
    /// replayed seed breaks ties between concurrent writes (by node id) the same way. A laptop is
    /// registered as its hub's, so the hub may forward its writes; it never syncs with the
    /// server itself.
    @discardableResult
    func addNode(
        _ name: String, id: NodeID, kind: SimulatedNode.Kind = .center, catalog: RecordCatalog = .hearth,
        clockSkew: Int64 = 0, pushPageSize: Int = 500, pullPageSize: Int = 1_000
    ) async throws -> SimulatedNode {
        var hubID: NodeID?
        if case .laptop(let hub) = kind,
            try await server.registry.nodes().contains(where: { $0.id == hub && $0.canForward })
        {
            hubID = hub
        }
        let (_, token) = try await server.registry.addNode(name: name, canForward: kind == .hub, id: id, hub: hubID)
        let wallClock = clock.reading(skew: clockSkew)
        let path = directory.appendingPathComponent("node-\(nodes.count + 1).hearth").path
        let replica =
            try templates?.replica(at: path, name: name, nodeID: id, catalog: catalog, wallClock: wallClock)
            ?? Replica.create(at: path, name: name, nodeID: id, catalog: catalog, wallClock: wallClock)
        var configuration = SyncEngine.Configuration()
        configuration.pushPageSize = pushPageSize
        configuration.pullPageSize = pullPageSize
        let node = SimulatedNode(
            name: name, kind: kind, token: token, replica: replica, configuration: configuration,
            wallClock: wallClock)
        nodes.append(node)
        return node
    }

    /// Stores `node` in place of the node with its id (a replaced replica, a new token), and
    /// lets the network write on the new replica during syncs if it did on the old one.
    func replace(_ node: SimulatedNode) {
        guard let index = nodes.firstIndex(where: { $0.id == node.id }) else { return }
        nodes[index] = node
        if node.syncsWithServer { network.allowWritesDuringSync(on: node) }
    }

    func node(named name: String) -> SimulatedNode? {
        nodes.first { $0.name == name }
    }

    /// The hub a laptop syncs through.
    func hub(of laptop: SimulatedNode) -> SimulatedNode? {
        guard case .laptop(let hubID) = laptop.kind else { return nil }
        return nodes.first { $0.id == hubID }
    }

    /// Runs one sync of `node` with the server through the real `SyncEngine`; a failure is
    /// returned, not thrown. `fullPages` overrides the node's page sizes with the defaults.
    ///
    /// A sync whose start moved the node's writes to a new writer identity (see
    /// `WriteRenumbering`) is noted in `renumberings`, whether or not the rest of it succeeded.
    func sync(_ node: SimulatedNode, fullPages: Bool = false) async -> Result<SyncReport, any Error> {
        guard node.syncsWithServer else {
            return .failure(ReplicaError(.refused, "\(node.name) is a laptop: it syncs through its hub"))
        }
        let engine = SyncEngine(
            replica: node.replica, transport: network.transport(for: node),
            configuration: fullPages ? SyncEngine.Configuration() : node.configuration, wallClock: node.wallClock)
        let result: Result<SyncReport, any Error>
        do {
            let before = try WriteRenumbering.Mark(node.replica)
            do {
                result = .success(try await engine.sync())
            } catch {
                result = .failure(error)
            }
            if let renumbering = try await WriteRenumbering.detect(on: node, since: before, in: self) {
                renumberings.append(renumbering)
            }
        } catch {
            problems.append("\(node.name): cannot read the replica's writer identity around a sync: \(error)")
            return .failure(error)
        }
        return result
    }

    /// Syncs `node` and throws if it fails: for scenarios without faults.
    @discardableResult
    func syncOrThrow(_ node: SimulatedNode) async throws -> SyncReport {
        try await sync(node).get()
    }

    /// Closes every replica and a SQLite server, and deletes the directory. A world over
    /// PostgreSQL closes its stores at the end of `withPostgres`.
    func close() {
        for node in nodes { try? node.replica.close() }
        (server as? SQLiteServerSide)?.close()
        try? FileManager.default.removeItem(at: directory)
    }
}
