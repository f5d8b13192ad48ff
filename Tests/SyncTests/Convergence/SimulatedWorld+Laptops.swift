import Replica
import SyncClient
import SyncCore
import SyncServer

/// Laptops in a simulated world: syncing with their hub, going home to the server, and the
/// networks (the server's and each hub's) steered as one.
extension SimulatedWorld {
    /// The server's network, then each hub's in the order of their ids (a fixed order: the
    /// networks draw their faults in it).
    var networks: [SimulatedNetwork] {
        [network] + hubs.keys.sorted { $0.rawValue < $1.rawValue }.map { hubs[$0]!.network }
    }

    /// The hub a laptop syncs through.
    func hub(of laptop: SimulatedNode) -> SimulatedNode? {
        guard case .laptop(let hubID) = laptop.kind else { return nil }
        return nodes.first { $0.id == hubID }
    }

    /// Runs one sync of `laptop` straight with the server (a volunteer gone home), with the
    /// token its hub issued. The server knows that token once the hub has told it about the
    /// laptop (`isKnownAtServer`); before, the sync is refused as unauthorized.
    func syncWithServer(_ laptop: SimulatedNode, fullPages: Bool = false) async -> Result<SyncReport, any Error> {
        await sync(laptop, over: network, fullPages: fullPages, hubLaptops: nil) { [server, network] in
            try await .read(server, inFlight: network.heldStates(from: laptop.id, token: laptop.token))
        }
    }

    /// Whether the server has registered `laptop` (its hub has told it about the laptop), and
    /// not revoked it: only then may the laptop sync with the server itself.
    func isKnownAtServer(_ laptop: SimulatedNode) async throws -> Bool {
        try await server.registry.nodes().contains { $0.id == laptop.id && !$0.isRevoked }
    }

    // MARK: Every network at once

    func setRates(_ rates: FaultRates) {
        self.rates = rates
        for network in networks { network.setRates(rates) }
    }

    /// Cuts `node` off from its upstream (a laptop from both its hub and the server), or reconnects it.
    func setPartitioned(_ node: SimulatedNode, _ isPartitioned: Bool) {
        network.setPartitioned(node.id, isPartitioned)
        if case .laptop(let hubID) = node.kind { hubs[hubID]?.network.setPartitioned(node.id, isPartitioned) }
    }

    func isPartitioned(_ node: SimulatedNode) -> Bool {
        network.isPartitioned(node.id)
    }

    /// No more faults and no partitions anywhere: for the final full sync.
    func heal() {
        rates = .none
        for network in networks { network.heal() }
    }

    /// Lets the networks `node` syncs over make local writes on it during its syncs.
    func allowWritesDuringSync(on node: SimulatedNode) {
        network.allowWritesDuringSync(on: node)
        if case .laptop(let hubID) = node.kind { hubs[hubID]?.network.allowWritesDuringSync(on: node) }
    }

    /// Lets up to `limit` held pushes arrive, on every network; returns how many did.
    func deliverDelayed(limit: Int = .max) async -> Int {
        var delivered = 0
        for network in networks where delivered < limit {
            delivered += await network.deliverDelayed(limit: limit - delivered)
        }
        return delivered
    }

    /// The writes the networks made during syncs since the last call.
    func collectWritesDuringSync() -> [OperationGenerator.Outcome] {
        networks.flatMap { $0.collectWritesDuringSync() }
    }

    /// Errors a service (the server's or a hub's) raised that no injected fault explains.
    var unexpectedErrors: [String] { networks.flatMap(\.unexpectedErrors) }

    var faultCounts: FaultCounts { networks.map(\.counts).reduce(FaultCounts(), +) }
}
