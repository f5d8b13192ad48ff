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

    /// Everything that changes, behind `state`; reached only from the network's own files.
    struct State {
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
        var services: [SyncService]
    }

    private enum Fate { case deliver, dropRequest, dropResponse, duplicate, delay, replay }

    /// What a stale cache in front of the server keys a pull answer by: who asked, from where,
    /// and whether for its own states too. It only ever replays an answer to the same request;
    /// an answer to another position would skip feed entries for a node whose cursor went back
    /// (a restored copy, a re-synchronisation), which no cache does.
    struct PullRequestKey: Hashable {
        var node: NodeID
        var since: Int64
        var includeOwn: Bool
    }

    let state: Mutex<State>

    init(services: [SyncService], seed: UInt64) {
        precondition(!services.isEmpty, "a network needs a server")
        self.state = Mutex(State(random: SeededGenerator(seed: seed), services: services))
    }

    /// One per server process (never empty).
    var services: [SyncService] { state.withLock { $0.services } }

    /// Puts `services` in place of the current ones (a hub whose replica was reopened); what is
    /// held in the network reaches the new ones.
    func replaceServices(_ services: [SyncService]) {
        precondition(!services.isEmpty, "a network needs a server")
        state.withLock { $0.services = services }
    }

    func transport(for node: SimulatedNode) -> SimulatedTransport {
        SimulatedTransport(network: self, node: node.id, token: node.token)
    }

    // MARK: Requests

    func session(for sender: NodeID, token: String, writer: String?, signingKey: String?) async throws
        -> SessionResponse
    {
        let fate = try decide(for: sender, allowed: [.dropRequest, .dropResponse])
        if fate == .dropRequest { throw SimulatedFault.lost("the session request was lost") }
        let service = route(sender)
        let node = try await authenticate(token, on: service)
        let response = try await serve("session", for: node) {
            try await service.session(for: node, writer: writer, signingKey: signingKey)
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

    /// A hub tells the server about its laptops (`POST /v1/hub/laptops`); the request or its
    /// answer may be lost, and a registration that is lost is sent again at the hub's next sync.
    func registerLaptops(_ sent: HubLaptopsRequest, from sender: NodeID, token: String) async throws
        -> HubLaptopsResponse
    {
        let fate = try decide(for: sender, allowed: [.dropRequest, .dropResponse])
        if fate == .dropRequest { throw SimulatedFault.lost("the laptops' registration was lost") }
        let request = try wire(sent)
        let service = route(sender)
        let node = try await authenticate(token, on: service)
        let response = try await serve("registration of laptops", for: node) {
            try await service.registerLaptops(request, from: node)
        }
        if fate == .dropResponse { throw SimulatedFault.lost("the answer to the laptops' registration was lost") }
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
        state.withLock { state in
            guard state.services.count > 1 else { return state.services[0] }
            let index = state.random.int(0...state.services.count - 1)
            if let last = state.lastService[sender], last != index { state.counts.serverSwitches += 1 }
            state.lastService[sender] = index
            return state.services[index]
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

    /// Notes an error no injected fault explains: the run fails with it.
    func noteUnexpected(_ message: String) {
        state.withLock { $0.unexpected.append(message) }
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
}
