import Foundation

/// Wakes requests waiting for the feed to move (`GET /v1/changes/wait`) the moment a push that
/// changed something commits in this process.
///
/// A generation number counts those commits. A waiter notes the generation, checks the feed,
/// and if there is nothing new for it waits for the generation to move on (or its time to run
/// out); it then checks the feed again. Writes this process does not see (another `hearth`
/// process on a center's replica, another server on one PostgreSQL) are found by checking again
/// after at most `SyncService.feedRecheckInterval`.
public actor FeedSignal {
    private var generation: UInt64 = 0

    public init() {}
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    /// Waiters whose time ran out before they were registered: they must not wait at all.
    private var expired: Set<UUID> = []
    /// The server is shutting down: nobody waits any more (a long poll must not hold it up).
    public private(set) var isClosed = false

    public var current: UInt64 { generation }

    /// A push committed: every waiter wakes.
    public func bump() {
        generation &+= 1
        let woken = waiters
        waiters = [:]
        for (_, continuation) in woken { continuation.resume() }
    }

    /// The server is shutting down: every waiter wakes, and later waits return at once.
    public func close() {
        isClosed = true
        bump()
    }

    /// Returns once the generation has moved past `seen`, after `timeout`, when cancelled, or
    /// when the signal is closed.
    public func wait(past seen: UInt64, timeout: Duration) async {
        guard generation == seen, !isClosed, !Task.isCancelled else { return }
        let id = UUID()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.suspend(id) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                await self.release(id)
            }
            await group.next()
            group.cancelAll()
        }
        expired.remove(id)
    }

    private func suspend(_ id: UUID) async {
        await withCheckedContinuation { continuation in
            if expired.contains(id) {
                continuation.resume()
            } else {
                waiters[id] = continuation
            }
        }
    }

    private func release(_ id: UUID) {
        if let continuation = waiters.removeValue(forKey: id) {
            continuation.resume()
        } else {
            expired.insert(id)
        }
    }
}
