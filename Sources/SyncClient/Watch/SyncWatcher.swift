import HearthProtocol
public import Replica
import SyncCore

/// `hearth sync --watch`: keeps a replica in sync for as long as it runs.
///
/// It syncs, then waits for either of two things: the replica changing (a write by any `hearth`
/// process on the same file, or a laptop's push into a center's replica, both of which move the
/// replica's digest), or the server saying its feed holds something new for this node
/// (`SyncTransport.waitForChanges`, a long poll). Then it syncs again. A sync that itself
/// changed the replica (it pulled something) is followed at once by another, which finds
/// nothing to do when all is quiet; refused changes stay pending without making it spin.
/// When the server cannot be reached it waits, doubling the wait up to `maxBackoff`, and tries
/// again. It stops when its task is cancelled; a sync cut short by that is safe (every step of
/// a sync is).
public struct SyncWatcher: Sendable {
    /// What the watcher is doing, for its one status line.
    public enum Event: Sendable {
        case synced(SyncReport)
        /// The last sync failed (offline, or the server refused); it tries again after `retryIn`.
        case failed(message: String, retryIn: Duration)
    }

    let engine: SyncEngine
    let replica: Replica
    let transport: any SyncTransport
    /// How often the replica is looked at for local changes.
    public var localPollInterval: Duration = .milliseconds(5)
    /// How long one long poll of the server may last.
    public var serverWait: Duration = .seconds(25)
    public var firstBackoff: Duration = .seconds(1)
    public var maxBackoff: Duration = .seconds(60)

    public init(engine: SyncEngine, replica: Replica, transport: any SyncTransport) {
        self.engine = engine
        self.replica = replica
        self.transport = transport
    }

    /// Runs until cancelled, calling `onEvent` after every sync attempt.
    public func run(onEvent: @Sendable (Event) -> Void) async {
        var backoff = firstBackoff
        while !Task.isCancelled {
            let before = stamp()
            do {
                let report = try await engine.sync()
                backoff = firstBackoff
                onEvent(.synced(report))
            } catch {
                if Task.isCancelled { return }
                onEvent(.failed(message: Self.describe(error), retryIn: backoff))
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, maxBackoff)
                continue
            }
            let after = stamp()
            // The sync changed the replica (it pulled, or a write landed meanwhile): once more.
            if after != before { continue }
            await waitForWork(since: after)
        }
    }

    /// The replica's digest: it moves with every change of any record, whoever makes it.
    private func stamp() -> String? {
        try? replica.read { try $0.digest() }.hex
    }

    /// Returns when the replica changed after `stamp`, the server has news, or the server wait
    /// failed (the next sync then says why and backs off).
    private func waitForWork(since stamp: String?) async {
        let replica = replica
        let transport = transport
        let poll = localPollInterval
        let wait = serverWait
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    if (try? replica.read { try $0.digest() }.hex) != stamp { return }
                    try? await Task.sleep(for: poll)
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    guard let cursor = try? replica.pullCursor(),
                        let answer = try? await transport.waitForChanges(since: cursor, timeout: wait)
                    else { return }
                    if answer.changed { return }
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? SyncClientError { return error.message }
        if let error = error as? ReplicaError { return error.message }
        return String(describing: error)
    }
}
