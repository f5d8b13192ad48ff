import Foundation
import GRDB
import HearthProtocol
import HearthTestSupport
import Replica
import SyncClient
import SyncCore
import SyncServer

/// A server and its nodes in one temporary directory, syncing over a `SimulatedNetwork`.
///
/// The server is the real `SyncService` over a real store (`server`: SQLite by default, or
/// several services over one PostgreSQL database, `withPostgres`); every node is a real
/// `Replica` synced by the real `SyncEngine`. A center with laptops serves them as `hearth
/// serve` does (`SimulatedHub`: its own service over its own replica, its own network); its
/// laptops sync with it, or now and then straight with the server (`SimulatedWorld+Laptops`).
/// Not `Sendable`: one task drives it, one step at a time. Call `close()` when done (it deletes
/// the directory).
final class SimulatedWorld {
    let directory: URL
    let clock: SimulatedClock
    let server: any ServerSide
    let network: SimulatedNetwork
    private(set) var nodes: [SimulatedNode] = []
    /// The centers serving laptops, by the center's node id.
    private(set) var hubs: [NodeID: SimulatedHub] = [:]
    /// Where each hub's network draws its faults from (a seed per hub, in the order they start).
    private var hubNetworkSeeds: SeededGenerator
    /// The fault rates of every network, hubs' included.
    var rates = FaultRates.none
    /// Writes that syncs moved to a new writer identity, until the schedule gives them to its model.
    var renumberings: [WriteRenumbering] = []
    /// Records a replica deleted again by itself while taking changes in (zombies, PROTOCOL.md
    /// §22.3), until the schedule gives them to its model.
    var redeletions: [Redeletion] = []
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

    /// Nodes whose upstream is the server (centers and hubs).
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
        hubNetworkSeeds = SeededGenerator(seed: networkSeed ^ 0x6875_625F_6E65_7473)
    }

    /// A new temporary directory for a world.
    static func makeDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "hearth-convergence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Registers a node under the id `id`, and creates its replica with the declarations of its
    /// release (`catalog`).
    ///
    /// The node is registered under `id` (as a replica created offline would be) so that a
    /// replayed seed breaks ties between concurrent writes (by node id) the same way. A center
    /// or hub is registered at the server (a hub to forward its laptops' writes); a laptop at
    /// its center (`hearth node add`), which starts serving laptops if it did not, and which
    /// registers it at the server at its next upstream sync.
    @discardableResult
    func addNode(
        _ name: String, id: NodeID, kind: SimulatedNode.Kind = .center, catalog: RecordCatalog = .hearth,
        clockSkew: Int64 = 0, pushPageSize: Int = 500, pullPageSize: Int = 1_000
    ) async throws -> SimulatedNode {
        let token: String
        if case .laptop(let hubID) = kind {
            token = try serveLaptops(at: hubID).store.addNode(name: name, canForward: false, id: id).token
        } else {
            token = try await server.registry.addNode(name: name, canForward: kind == .hub, id: id, hub: nil).token
        }
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

    /// The center `hubID` serving its laptops: started the first time.
    private func serveLaptops(at hubID: NodeID) throws -> SimulatedHub {
        if let hub = hubs[hubID] { return hub }
        guard let center = nodes.first(where: { $0.id == hubID }), !center.isLaptop else {
            throw ReplicaError(.notFound, "no center \(hubID) to serve a laptop")
        }
        let hub = try SimulatedHub(
            serving: center.replica, networkSeed: hubNetworkSeeds.next(), wallClock: center.wallClock)
        hub.network.setRates(rates)
        hubs[hubID] = hub
        return hub
    }

    /// Stores `node` in place of the node with its id (a replaced replica, a new token), lets
    /// the networks write on the new replica during syncs, and serves its laptops from it if
    /// it is a hub.
    func replace(_ node: SimulatedNode) throws {
        guard let index = nodes.firstIndex(where: { $0.id == node.id }) else { return }
        nodes[index] = node
        allowWritesDuringSync(on: node)
        if let hub = hubs[node.id] { hubs[node.id] = try hub.reopened(node.replica, wallClock: node.wallClock) }
    }

    func node(named name: String) -> SimulatedNode? {
        nodes.first { $0.name == name }
    }

    /// Runs one sync of `node` with its upstream through the real `SyncEngine`: a center or hub
    /// with the server (a hub telling it about its laptops), a laptop with its hub. A failure is
    /// returned, not thrown. `fullPages` overrides the node's page sizes with the defaults.
    func sync(_ node: SimulatedNode, fullPages: Bool = false) async -> Result<SyncReport, any Error> {
        guard case .laptop(let hubID) = node.kind else {
            return await sync(node, over: network, fullPages: fullPages, hubLaptops: hubs[node.id]?.laptops) {
                [server, network] in
                try await .read(server, inFlight: network.heldStates(from: node.id, token: node.token))
            }
        }
        guard let hub = hubs[hubID] else {
            return .failure(ReplicaError(.notFound, "\(node.name)'s hub serves no laptops"))
        }
        return await sync(node, over: hub.network, fullPages: fullPages, hubLaptops: nil) {
            let held = hub.network.heldStates(from: node.id, token: node.token)
            return try .read(hub.store.replica, inFlight: held)
        }
    }

    /// Runs one sync of `node` over `network` through the real `SyncEngine`. A sync whose start
    /// moved the node's writes to a new writer identity (see `WriteRenumbering`) is noted in
    /// `renumberings`, and records the node deleted again by itself in `redeletions`, whether
    /// or not the rest of it succeeded; `upstream` reads what the node's upstream holds then.
    func sync(
        _ node: SimulatedNode, over network: SimulatedNetwork, fullPages: Bool,
        hubLaptops: (@Sendable () throws -> [HubLaptopsRequest.Laptop])?,
        upstream: () async throws -> ConvergenceModel.ServerView
    ) async -> Result<SyncReport, any Error> {
        let engine = SyncEngine(
            replica: node.replica, transport: network.transport(for: node),
            configuration: fullPages ? SyncEngine.Configuration() : node.configuration, wallClock: node.wallClock,
            hubLaptops: hubLaptops)
        let result: Result<SyncReport, any Error>
        do {
            let before = try WriteRenumbering.Mark(node.replica)
            do {
                result = .success(try await engine.sync())
            } catch {
                result = .failure(error)
            }
            if let renumbering = try await WriteRenumbering.detect(on: node, since: before, upstream: upstream) {
                renumberings.append(renumbering)
            }
            if let redeletion = try Redeletion.detect(on: node, since: before) { redeletions.append(redeletion) }
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
