public import HearthProtocol
import Replica
import ServiceLifecycle
import SyncCore

/// Live sync: a node waits for the feed to move instead of asking again and again.
extension SyncService {
    /// The longest a wait may be held open; longer asks are shortened to this.
    public static let maxWait: Duration = .seconds(60)
    /// How often a waiter looks at the feed again even without a push in this process: writes
    /// of another process on the same file, or of another server on one PostgreSQL database.
    public static let feedRecheckInterval: Duration = .seconds(1)

    /// Answers as soon as a pull from `cursor` would return something for `node`, or after
    /// `timeout` with `changed: false`. A cursor past the feed's end answers at once (the node
    /// pulls and learns why).
    public func waitForChanges(since cursor: Int64, timeout: Duration, for node: RegisteredNode) async throws
        -> WaitResponse
    {
        guard cursor >= 0 else { throw SyncServerError.badRequest("since must be 0 or a cursor from an earlier pull") }
        let signal = feedSignal
        // A server shutting down gracefully answers its waiters at once instead of holding its
        // shutdown up for their whole wait; they come back to a server that runs.
        return try await withGracefulShutdownHandler {
            try await wait(since: cursor, timeout: timeout, for: node)
        } onGracefulShutdown: {
            Task { await signal.close() }
        }
    }

    private func wait(since cursor: Int64, timeout: Duration, for node: RegisteredNode) async throws -> WaitResponse {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: min(max(timeout, .zero), Self.maxWait))
        while true {
            let seen = await feedSignal.current
            let page = try await store.feedPage(after: cursor, for: node, limit: 1)
            if !page.states.isEmpty || cursor > page.latest {
                return WaitResponse(
                    changed: true, latest: page.latest, serverTime: wallClock(), serverEpoch: try await store.epoch())
            }
            let remaining = clock.now.duration(to: deadline)
            let closed = await feedSignal.isClosed
            if remaining <= .zero || Task.isCancelled || closed {
                return WaitResponse(changed: false, latest: page.latest, serverTime: wallClock())
            }
            await feedSignal.saw(position: page.latest)
            let store = store
            await feedSignal.watchFeed(every: feedRecheckInterval) { try? await store.feedPosition() }
            await feedSignal.wait(past: seen, timeout: remaining)
        }
    }
}
