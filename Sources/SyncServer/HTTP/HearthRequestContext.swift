public import Hummingbird

/// The per-request context: Hummingbird's core storage, the authenticated node, and what the
/// handler did (for the one log line per request).
public struct HearthRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `NodeAuthMiddleware` once the bearer token checks out.
    public var node: RegisteredNode?
    /// Filled by handlers, read by `RequestLogMiddleware` after the response.
    public let outcome: RequestOutcome

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.outcome = RequestOutcome()
    }
}
