public import HearthProtocol
public import SyncCore

/// How the sync engine reaches a server. HTTP in production; tests plug in an in-process
/// transport that can drop, duplicate or delay messages.
public protocol SyncTransport: Sendable {
    /// Who the credentials belong to, and the server's clock.
    /// `writer` names the writer identity whose write numbers the server should report (and
    /// registers it for this node when it is new); nil means the node id itself.
    func session(writer: String?) async throws -> SessionResponse
    /// Sends one page of changes; the server merges it in one transaction.
    /// `lineage`, when given, reports this node's newest write for the next session's checks.
    func push(_ request: PushRequest, lineage: PushLineage?) async throws -> PushResponse
    /// Fetches the changes after `cursor`; with `includeOwn`, also the states this node sent
    /// (a re-installed or restored replica needs its own earlier writes back). `settled`
    /// reports the node's writes that have all reached the server (PROTOCOL.md §22.2).
    func pull(since cursor: Int64, limit: Int, includeOwn: Bool, settled: SettledWrites?) async throws
        -> PullResponse
    /// `session(writer:)`, also presenting the public key this node signs its change files with.
    func session(writer: String?, signingKey: String?) async throws -> SessionResponse
    /// A hub tells its upstream about its laptops (`POST /v1/hub/laptops`).
    func registerLaptops(_ request: HubLaptopsRequest) async throws -> HubLaptopsResponse
    /// Waits until a pull from `cursor` would bring something, or `timeout` passes
    /// (`GET /v1/changes/wait`).
    func waitForChanges(since cursor: Int64, timeout: Duration) async throws -> WaitResponse
}

extension SyncTransport {
    /// A transport that cannot present a key (a test's) presents none.
    public func session(writer: String?, signingKey: String?) async throws -> SessionResponse {
        try await session(writer: writer)
    }

    /// A transport that cannot wait on the server (a test's) waits out the time and says "maybe".
    public func waitForChanges(since cursor: Int64, timeout: Duration) async throws -> WaitResponse {
        try await Task.sleep(for: timeout)
        return WaitResponse(changed: true, latest: cursor, serverTime: 0)
    }

    /// A transport that cannot reach a hub endpoint (a test's) says so.
    public func registerLaptops(_ request: HubLaptopsRequest) async throws -> HubLaptopsResponse {
        throw SyncClientError(.rejected, "this transport cannot register laptops")
    }

    public func session() async throws -> SessionResponse { try await session(writer: nil) }
    public func push(_ request: PushRequest) async throws -> PushResponse { try await push(request, lineage: nil) }

    /// Fetches the changes after `cursor` that other nodes made.
    public func pull(since cursor: Int64, limit: Int) async throws -> PullResponse {
        try await pull(since: cursor, limit: limit, includeOwn: false, settled: nil)
    }
}
