import HearthProtocol
import SyncClient
import SyncCore

/// A node's view of the simulated network, plugged into the real `SyncEngine`.
struct SimulatedTransport: SyncTransport {
    let network: SimulatedNetwork
    let node: NodeID
    let token: String

    func session(writer: String?) async throws -> SessionResponse {
        try await network.session(for: node, token: token, writer: writer, signingKey: nil)
    }

    func session(writer: String?, signingKey: String?) async throws -> SessionResponse {
        try await network.session(for: node, token: token, writer: writer, signingKey: signingKey)
    }

    func registerLaptops(_ request: HubLaptopsRequest) async throws -> HubLaptopsResponse {
        try await network.registerLaptops(request, from: node, token: token)
    }

    func push(_ request: PushRequest, lineage: PushLineage?) async throws -> PushResponse {
        try await network.push(request, from: node, token: token, lineage: lineage)
    }

    func pull(since cursor: Int64, limit: Int, includeOwn: Bool, settled: SettledWrites?) async throws
        -> PullResponse
    {
        try await network.pull(
            since: cursor, limit: limit, includeOwn: includeOwn, settled: settled, for: node, token: token)
    }
}
