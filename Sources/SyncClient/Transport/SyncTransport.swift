public import HearthProtocol

/// How the sync engine reaches a server. HTTP in production; tests plug in an in-process
/// transport that can drop, duplicate or delay messages.
public protocol SyncTransport: Sendable {
    /// Who the credentials belong to, and the server's clock.
    func session() async throws -> SessionResponse
    /// Sends one page of changes; the server merges it in one transaction.
    func push(_ request: PushRequest) async throws -> PushResponse
    /// Fetches the changes after `cursor`; with `includeOwn`, also the states this node sent
    /// (a re-installed or restored replica needs its own earlier writes back).
    func pull(since cursor: Int64, limit: Int, includeOwn: Bool) async throws -> PullResponse
}

extension SyncTransport {
    /// Fetches the changes after `cursor` that other nodes made.
    public func pull(since cursor: Int64, limit: Int) async throws -> PullResponse {
        try await pull(since: cursor, limit: limit, includeOwn: false)
    }
}
