public import SyncCore
import Synchronization

/// What the request's handlers learned, for the one log line per request: the authenticated
/// node and counts only, never record contents.
///
/// A reference shared by every copy of the request context: middleware deeper in the chain
/// (`NodeAuthMiddleware`) works on its own copy of the context, so `RequestLogMiddleware`,
/// which runs outside it, can only see what is put here.
public final class RequestOutcome: Sendable {
    private struct State {
        var summary = ""
        var node: NodeID?
    }

    private let state = Mutex(State())
    public init() {}

    /// Sets the counts summary (`pushed=3 accepted=3 conflicts=0`).
    public func set(_ text: String) { state.withLock { $0.summary = text } }
    public var text: String { state.withLock { $0.summary } }

    /// Records the node whose token checked out.
    public func setNode(_ node: NodeID) { state.withLock { $0.node = node } }
    public var node: NodeID? { state.withLock { $0.node } }
}
