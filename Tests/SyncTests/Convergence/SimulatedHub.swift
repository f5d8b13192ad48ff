import HearthProtocol
import Replica
import SyncCore
import SyncServer

/// A center serving its laptops in a simulated world, as `hearth serve` does: the real
/// `SyncService` over `SQLiteServerStore.hub` of the center's own replica, reached by its
/// laptops through a `SimulatedNetwork` of its own (with the same faults as the server's).
///
/// Its laptops are registered in that store, not at the server; the center tells the server
/// about them at each of its upstream syncs (`laptops`). A value: when the center's replica is
/// reopened (an upgrade), the world keeps a new hub over the new replica with the same network.
struct SimulatedHub: Sendable {
    let store: SQLiteServerStore
    let network: SimulatedNetwork

    /// Starts serving `replica`, the center's own, to laptops over a network seeded with `networkSeed`.
    init(serving replica: Replica, networkSeed: UInt64, wallClock: @escaping @Sendable () -> Int64) throws {
        store = try SQLiteServerStore.hub(replica, wallClock: wallClock)
        network = SimulatedNetwork(
            services: [SyncService(store: store, wallClock: wallClock)], seed: networkSeed)
    }

    private init(store: SQLiteServerStore, network: SimulatedNetwork) {
        self.store = store
        self.network = network
    }

    /// The same hub over `replica`, the center's replica reopened; held messages reach it.
    func reopened(_ replica: Replica, wallClock: @escaping @Sendable () -> Int64) throws -> SimulatedHub {
        let store = try SQLiteServerStore.hub(replica, wallClock: wallClock)
        network.replaceServices([SyncService(store: store, wallClock: wallClock)])
        return SimulatedHub(store: store, network: network)
    }

    /// The laptops as the center's `SyncEngine` tells the server about them (`hubLaptops`).
    var laptops: @Sendable () throws -> [HubLaptopsRequest.Laptop] {
        let store = store
        return { try store.laptopsForUpstream().map(\.wire) }
    }

    /// The laptop registered here with id `id`, as this hub's registry holds it now.
    func registered(_ id: NodeID) throws -> RegisteredNode? {
        try store.nodes().first { $0.id == id }
    }
}
