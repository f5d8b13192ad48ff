import Foundation

/// Wakes requests waiting for the feed to move (`GET /v1/changes/wait`) the moment a push that
/// changed something commits in this process.
///
/// A generation number counts those commits. A waiter notes the generation, checks the feed,
/// and if there is nothing new for it waits for the generation to move on (or its time to run
/// out); it then checks the feed again. Writes this process does not see (another `hearth`
/// process on a center's replica, another server on one PostgreSQL) are found by one poller for
/// all waiters (`watchFeed`): while anyone waits, it reads the feed's last position every
/// `SyncService.feedRecheckInterval` and wakes everyone when it moved. So two thousand idle
/// waiters cost one query per interval, not two thousand.
public actor FeedSignal {
    private var generation: UInt64 = 0

    public init() {}
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    /// Waiters whose time ran out before they were registered: they must not wait at all.
    private var expired: Set<UUID> = []
    /// The server is shutting down: nobody waits any more (a long poll must not hold it up).
    public private(set) var isClosed = false
    /// The one task looking at the feed while anyone waits (`watchFeed`), and the lowest last
    /// position a waiter or that task saw since it last looked.
    private var poller: Task<Void, Never>?
    private var seenPosition: Int64?

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
        poller?.cancel()
        poller = nil
        bump()
    }

    /// Notes the feed's last position a waiter saw before it waits: the poller wakes everyone
    /// once the feed is past the lowest such position.
    public func saw(position: Int64) {
        seenPosition = min(seenPosition ?? position, position)
    }

    /// Makes sure one task reads the feed's last position (`position`) every `interval` while
    /// anyone waits, and wakes every waiter when it moved past what they saw. A wake that finds
    /// nothing new for a waiter only makes it look again.
    public func watchFeed(every interval: Duration, position: @escaping @Sendable () async -> Int64?) {
        guard poller == nil, !isClosed else { return }
        poller = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self, await self.stillWaitedOn() else { return }
                if let now = await position() { await self.observe(now) }
            }
        }
    }

    /// False (and the poller forgotten) when nobody waits: it stops until the next waiter.
    private func stillWaitedOn() -> Bool {
        guard !waiters.isEmpty, !isClosed else {
            poller = nil
            return false
        }
        return true
    }

    private func observe(_ position: Int64) {
        if let seen = seenPosition, position > seen { bump() }
        seenPosition = position
    }

    /// Returns once the generation has moved past `seen`, after `timeout`, when cancelled, or
    /// when the signal is closed.
    public func wait(past seen: UInt64, timeout: Duration) async {
        guard generation == seen, !isClosed, !Task.isCancelled else { return }
        let id = UUID()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.suspend(id, past: seen) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                await self.release(id)
            }
            await group.next()
            group.cancelAll()
        }
        expired.remove(id)
    }

    /// Registers the waiter, unless what it waits for already happened: this runs on the actor
    /// in a task of its own, so a push (or a close) may have come between `wait`'s check and now.
    private func suspend(_ id: UUID, past seen: UInt64) async {
        await withCheckedContinuation { continuation in
            if expired.contains(id) || generation != seen || isClosed {
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
