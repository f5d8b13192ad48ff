import Foundation
import HearthProtocol
import HearthTestSupport
import SyncClient
import SyncCore
import SyncServer
import Synchronization

/// An in-process network between nodes and the server's `SyncService`s, with faults injected
/// on purpose.
///
/// Requests and answers go through a JSON round trip (as on the wire) and straight into a
/// service, with no HTTP; each request that reaches the server is authenticated by its token,
/// as the HTTP middleware would, so a revoked node (or a late push sent with its old token)
/// is refused. With several services (server processes over one database), each request that
/// reaches the server goes to one of them at random, as behind a load balancer: a node may
/// reach another server on every request, and a duplicated or late push its own. The
/// simulation drives everything sequentially from one task, so each fault and each server is
/// decided by the network's seeded generator in a fixed order and a seed replays exactly. The
/// mutable state sits behind a `Mutex` only because transports must be `Sendable`; there is
/// never contention.
final class SimulatedNetwork: Sendable {
    /// A push held in the network, to reach the server later than its sender gave up on it.
    /// A held push keeps what the request carried: its token, and the lineage (the sender's
    /// newest write) that the server notes with it.
    struct DelayedPush: Sendable {
        var request: PushRequest
        var lineage: PushLineage?
        var sender: NodeID
        var token: String
    }

    private struct State {
        var random: SeededGenerator
        var rates = FaultRates.none
        var partitioned: Set<NodeID> = []
        var delayed: [DelayedPush] = []
        /// Recent pull answers per node and request (delivered or lost), for replaying stale pages.
        var pulls: [PullRequestKey: [PullResponse]] = [:]
        var counts = FaultCounts()
        var unexpected: [String] = []
        /// Nodes whose replicas may be written during their syncs, by id.
        var writers: [NodeID: SimulatedNode] = [:]
        /// What those writes did, until the schedule collects it.
        var writesDuringSync: [OperationGenerator.Outcome] = []
        /// The node each token was found to belong to (see `forgetTokens`).
        var tokens: [String: RegisteredNode] = [:]
        /// The service each node's last request reached, by index in `services`.
        var lastService: [NodeID: Int] = [:]
    }

    private enum Fate { case deliver, dropRequest, dropResponse, duplicate, delay, replay }

    /// What a stale cache in front of the server keys a pull answer by: who asked, from where,
    /// and whether for its own states too. It only ever replays an answer to the same request;
    /// an answer to another position would skip feed entries for a node whose cursor went back
    /// (a restored copy, a re-synchronisation), which no cache does.
    private struct PullRequestKey: Hashable {
        var node: NodeID
        var since: Int64
        var includeOwn: Bool
    }

    /// One per server process (never empty).
    let services: [SyncService]
    private let state: Mutex<State>

    init(services: [SyncService], seed: UInt64) {
        precondition(!services.isEmpty, "a network needs a server")
        self.services = services
        self.state = Mutex(State(random: SeededGenerator(seed: seed)))
    }

    func transport(for node: SimulatedNode) -> SimulatedTransport {
        SimulatedTransport(network: self, node: node.id, token: node.token)
    }

    // MARK: Control

    func setRates(_ rates: FaultRates) {
        state.withLock { $0.rates = rates }
    }

    func setPartitioned(_ node: NodeID, _ isPartitioned: Bool) {
        state.withLock { state in
            if isPartitioned { state.partitioned.insert(node) } else { state.partitioned.remove(node) }
        }
    }

    func isPartitioned(_ node: NodeID) -> Bool {
        state.withLock { $0.partitioned.contains(node) }
    }

    /// No more faults and no partitions: for the final full sync.
    func heal() {
        state.withLock { state in
            state.rates = .none
            state.partitioned = []
        }
    }

    /// Lets the network make local writes on `node` while it syncs (see `FaultRates.writeDuringSync`);
    /// called again when the node's replica is replaced.
    func allowWritesDuringSync(on node: SimulatedNode) {
        state.withLock { $0.writers[node.id] = node }
    }

    /// The writes made during syncs since the last call.
    func collectWritesDuringSync() -> [OperationGenerator.Outcome] {
        state.withLock { state in
            defer { state.writesDuringSync = [] }
            return state.writesDuringSync
        }
    }

    /// The states in the pushes `sender` has held in the network with `token`: they will reach
    /// the server (a push with a token revoked meanwhile will not).
    func heldStates(from sender: NodeID, token: String) -> [RecordState] {
        let requests = state.withLock { state in
            state.delayed.filter { $0.sender == sender && $0.token == token }.map(\.request)
        }
        return requests.flatMap { $0.changes.compactMap { try? $0.recordState() } }
    }

    var counts: FaultCounts { state.withLock { $0.counts } }
    /// Errors the service raised that no fault explains (a 403 for an honest node, a failed merge…).
    var unexpectedErrors: [String] { state.withLock { $0.unexpected } }
    var delayedCount: Int { state.withLock { $0.delayed.count } }

    // MARK: Requests

    func session(for sender: NodeID, token: String, writer: String?) async throws -> SessionResponse {
        let fate = try decide(for: sender, allowed: [.dropRequest, .dropResponse])
        if fate == .dropRequest { throw SimulatedFault.lost("the session request was lost") }
        let service = route(sender)
        let node = try await authenticate(token, on: service)
        let response = try await serve("session", for: node) {
            try await service.session(for: node, writer: writer)
        }
        if fate == .dropResponse { throw SimulatedFault.lost("the session answer was lost") }
        return try wire(response)
    }

    func push(_ sent: PushRequest, from sender: NodeID, token: String, lineage: PushLineage?) async throws
        -> PushResponse
    {
        let fate = try decide(for: sender, allowed: [.dropRequest, .dropResponse, .duplicate, .delay])
        let request = try wire(sent)
        switch fate {
        case .dropRequest:
            throw SimulatedFault.lost("the push was lost")
        case .delay:
            state.withLock {
                $0.delayed.append(DelayedPush(request: request, lineage: lineage, sender: sender, token: token))
            }
            throw SimulatedFault.lost("the push is stuck in the network (it will arrive late)")
        default:
            break
        }
        let service = route(sender)
        let node = try await authenticate(token, on: service)
        var response = try await serve("push", for: node) {
            try await service.push(request, from: node, lineage: lineage)
        }
        if fate == .duplicate {
            let again = route(sender)
            response = try await serve("duplicated push", for: node) {
                try await again.push(request, from: node, lineage: lineage)
            }
        }
        writeDuringSync(on: node)
        if fate == .dropResponse { throw SimulatedFault.lost("the push answer was lost") }
        return try wire(response)
    }

    func pull(
        since cursor: Int64, limit: Int, includeOwn: Bool, settled: SettledWrites? = nil, for sender: NodeID,
        token: String
    ) async throws -> PullResponse {
        let fate = try decide(for: sender, allowed: [.dropRequest, .dropResponse, .replay])
        if fate == .replay {
            let stale: PullResponse? = state.withLock { state in
                let earlier = state.pulls[PullRequestKey(node: sender, since: cursor, includeOwn: includeOwn)] ?? []
                guard let page = state.random.pick(earlier) else { return nil }
                state.counts.replayedPulls += 1
                return page
            }
            if let stale { return try wire(stale) }
        }
        if fate == .dropRequest { throw SimulatedFault.lost("the pull request was lost") }
        let service = route(sender)
        let node = try await authenticate(token, on: service)
        let response = try await serve("pull", for: node) {
            try await service.pull(
                since: cursor, limit: limit, includeOwn: includeOwn, settled: settled, for: node)
        }
        state.withLock { state in
            let key = PullRequestKey(node: sender, since: cursor, includeOwn: includeOwn)
            state.pulls[key, default: []].append(response)
            if state.pulls[key]!.count > 3 { state.pulls[key]!.removeFirst() }
        }
        if fate == .dropResponse { throw SimulatedFault.lost("the pull answer was lost") }
        writeDuringSync(on: node)
        return try wire(response)
    }

    /// Lets up to `limit` held pushes reach the server (only those of `sender`, if given), in
    /// random order; returns how many did. One sent with a token revoked meanwhile is refused
    /// by the server, as it would be over HTTP (its sender still holds those changes pending).
    @discardableResult
    func deliverDelayed(limit: Int = .max, from sender: NodeID? = nil) async -> Int {
        var delivered = 0
        while delivered < limit {
            let next: DelayedPush? = state.withLock { state in
                let candidates = state.delayed.indices.filter { sender == nil || state.delayed[$0].sender == sender }
                guard let index = state.random.pick(candidates) else { return nil }
                state.counts.lateDeliveries += 1
                return state.delayed.remove(at: index)
            }
            guard let next else { break }
            delivered += 1
            let service = route(next.sender)
            guard let node = try? await authenticate(next.token, on: service) else { continue }
            _ = try? await serve("late push", for: node) {
                try await service.push(next.request, from: node, lineage: next.lineage)
            }
        }
        return delivered
    }

    // MARK: Internals

    /// Forgets which node each token belongs to: call it when the server revokes or readmits a
    /// node, so that its old token is refused from then on.
    func forgetTokens() {
        state.withLock { $0.tokens = [:] }
    }

    /// The registered node a token belongs to, as the HTTP middleware finds it; a token that is
    /// unknown or revoked is refused with `unauthorized` (401), which is no fault of the server.
    /// Answers are remembered until `forgetTokens`: a schedule makes thousands of requests.
    private func authenticate(_ token: String, on service: SyncService) async throws -> RegisteredNode {
        if let known = state.withLock({ $0.tokens[token] }) { return known }
        if let node = try await service.authenticate(token: token) {
            state.withLock { $0.tokens[token] = node }
            return node
        }
        state.withLock { $0.counts.refusedTokens += 1 }
        throw SyncClientError(.unauthorized, "the server refused the token (revoked or unknown)")
    }

    /// The service a request of `sender` reaches: with several, one drawn at random (and noted
    /// when it is not the one its previous request reached); with one, no draw, so a world with
    /// one server replays the schedules it always did.
    private func route(_ sender: NodeID) -> SyncService {
        guard services.count > 1 else { return services[0] }
        return state.withLock { state in
            let index = state.random.int(0...services.count - 1)
            if let last = state.lastService[sender], last != index { state.counts.serverSwitches += 1 }
            state.lastService[sender] = index
            return services[index]
        }
    }

    /// Now and then, a local write on the syncing node while its request is in flight.
    private func writeDuringSync(on node: RegisteredNode) {
        state.withLock { state in
            guard let writer = state.writers[node.id], state.random.chance(state.rates.writeDuringSync) else { return }
            state.counts.writesDuringSync += 1
            state.writesDuringSync.append(OperationGenerator.perform(on: writer, random: &state.random))
        }
    }

    /// Chooses what happens to one request; a partitioned node's requests all fail.
    private func decide(for node: NodeID, allowed: Set<Fate>) throws -> Fate {
        try state.withLock { state in
            if state.partitioned.contains(node) {
                state.counts.refusedByPartition += 1
                throw SimulatedFault.lost("node \(node.short) is cut off from the server")
            }
            let rates = state.rates
            let candidates: [(Fate, Int)] = [
                (.dropRequest, rates.dropRequest), (.dropResponse, rates.dropResponse),
                (.duplicate, rates.duplicatePush), (.delay, rates.delayPush), (.replay, rates.replayPull),
            ].filter { allowed.contains($0.0) }
            let faulty = candidates.reduce(0) { $0 + $1.1 }
            guard faulty > 0, state.random.chance(faulty) else { return .deliver }
            let fate = state.random.weighted(candidates)
            switch fate {
            case .dropRequest: state.counts.droppedRequests += 1
            case .dropResponse: state.counts.droppedResponses += 1
            case .duplicate: state.counts.duplicatedPushes += 1
            case .delay: state.counts.delayedPushes += 1
            case .deliver, .replay: break
            }
            return fate
        }
    }

    /// Calls the service, noting any error it raises (no injected fault explains those) and
    /// handing it to the engine as the HTTP transport would.
    private func serve<T: Sendable>(
        _ what: String, for node: RegisteredNode, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        do {
            return try await body()
        } catch {
            state.withLock { $0.unexpected.append("the server refused a \(what) from \(node.name): \(error)") }
            throw Self.clientError(for: error)
        }
    }

    /// The `SyncClientError` an HTTP client would see for a service error (the error codes of
    /// the protocol decide it, as in `HTTPSyncTransport`); the original is kept as the cause.
    static func clientError(for error: any Error) -> any Error {
        guard let refusal = error as? SyncServerError else { return error }
        let code: SyncClientError.Code =
            switch refusal.code {
            case ErrorCode.unauthorized: .unauthorized
            case ErrorCode.forbidden: .forbidden
            case ErrorCode.protocolTooOld: .protocolTooOld
            case ErrorCode.protocolTooNew: .protocolTooNew
            case ErrorCode.cursorAhead: .cursorAhead
            case ErrorCode.internalError: .server
            default: .rejected
            }
        return SyncClientError(code, refusal.message, cause: refusal)
    }

    /// Sends a message through JSON, as the HTTP transport would.
    private func wire<T: Codable>(_ message: T) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: JSONEncoder().encode(message))
        } catch {
            state.withLock { $0.unexpected.append("a \(T.self) did not survive a JSON round trip: \(error)") }
            throw error
        }
    }

    /// Pages of changes go through `WireCodec`, as the HTTP transport and server write and read them.
    private func wire(_ request: PushRequest) throws -> PushRequest {
        do {
            return PushRequest(states: try WireCodec.decodePushRequest(WireCodec.encode(request)))
        } catch {
            state.withLock { $0.unexpected.append("a PushRequest did not survive a WireCodec round trip: \(error)") }
            throw error
        }
    }

    private func wire(_ response: PullResponse) throws -> PullResponse {
        do {
            return try WireCodec.decodePullResponse(WireCodec.encode(response))
        } catch {
            state.withLock { $0.unexpected.append("a PullResponse did not survive a WireCodec round trip: \(error)") }
            throw error
        }
    }
}

/// A node's view of the simulated network, plugged into the real `SyncEngine`.
struct SimulatedTransport: SyncTransport {
    let network: SimulatedNetwork
    let node: NodeID
    let token: String

    func session(writer: String?) async throws -> SessionResponse {
        try await network.session(for: node, token: token, writer: writer)
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
