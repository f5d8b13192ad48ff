import HearthProtocol
public import Replica
import SyncCore

/// `hearth sync --watch`: keeps a replica in sync for as long as it runs.
///
/// It syncs, then waits for either of two things: the replica changing (a write by any `hearth`
/// process on the same file, or a laptop's push into a center's replica, both of which move the
/// replica's digest), or the server saying its feed holds something new for this node
/// (`SyncTransport.waitForChanges`, a long poll). Then it syncs again: when only the server had
/// news, from the same server as the last session, and nothing is pending here, by pulling
/// alone (`SyncEngine.pullOnly`); otherwise in full. A sync that ends with the
/// replica equal to the server (digests match, nothing pending) waits from the digest it
/// compared; any other sync that changed the replica is followed at once by another, which finds
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
        var next = Attempt.fullSync
        while !Task.isCancelled {
            let before = stamp()
            let report: SyncReport
            do {
                report = try await next == .pullOnly ? engine.pullOnly() : engine.sync()
                backoff = firstBackoff
                onEvent(.synced(report))
            } catch {
                if Task.isCancelled { return }
                onEvent(.failed(message: Self.describe(error), retryIn: backoff))
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, maxBackoff)
                next = .fullSync
                continue
            }
            next = .fullSync
            if report.digestMatches == true {
                // Nothing was pending and the replica equalled the server at the sync's end: wait
                // from that digest, so a write landing since then is found at the first look.
                next = attempt(after: await waitForWork(since: report.localDigest))
                continue
            }
            let after = stamp()
            // The sync changed the replica (it pulled, or a write landed meanwhile): once more.
            if after != before { continue }
            next = attempt(after: await waitForWork(since: after))
        }
    }

    /// What the next sync does.
    enum Attempt {
        /// Session, push, pull: after a local change, a failure, or anything unusual.
        case fullSync
        /// Pull alone (`SyncEngine.pullOnly`, PROTOCOL.md §16.6).
        case pullOnly
    }

    /// Why `waitForWork` returned.
    enum Wake {
        case localChange
        case serverNews(WaitResponse)
        /// The wait on the server failed (the next sync says why) or the task was cancelled.
        case waitEnded
    }

    /// A pull suffices when only the server had news, from the same server (its epoch) as the
    /// last session, and this replica has nothing to send and no laptops to register upstream.
    func attempt(after wake: Wake) -> Attempt {
        guard case .serverNews(let answer) = wake, engine.hubLaptops == nil, let epoch = answer.serverEpoch,
            (try? replica.knownServerEpoch()) == epoch, (try? replica.pendingRecordCount()) == 0
        else { return .fullSync }
        return .pullOnly
    }

    /// The replica's digest: it moves with every change of any record, whoever makes it.
    private func stamp() -> String? {
        try? replica.read { try $0.digest() }.hex
    }

    /// Returns when the replica changed after `stamp`, the server has news, or the server wait
    /// failed (the next sync then says why and backs off).
    private func waitForWork(since stamp: String?) async -> Wake {
        let replica = replica
        let transport = transport
        let poll = localPollInterval
        let wait = serverWait
        return await withTaskGroup(of: Wake.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    if (try? replica.read { try $0.digest() }.hex) != stamp { return .localChange }
                    try? await Task.sleep(for: poll)
                }
                return .waitEnded
            }
            group.addTask {
                while !Task.isCancelled {
                    guard let cursor = try? replica.pullCursor(),
                        let answer = try? await transport.waitForChanges(since: cursor, timeout: wait)
                    else { return .waitEnded }
                    if answer.changed { return .serverNews(answer) }
                }
                return .waitEnded
            }
            let first = await group.next() ?? .waitEnded
            group.cancelAll()
            return first
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? SyncClientError { return error.message }
        if let error = error as? ReplicaError { return error.message }
        return String(describing: error)
    }
}
