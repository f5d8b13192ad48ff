public import HearthProtocol
public import Replica
import SyncCore

/// Brings a replica and a server up to date with each other: push, then pull, then compare digests.
///
/// Every step is safe to interrupt. Push pages are idempotent on the server and a record's
/// pending flag is cleared only if it did not change while in flight; each pulled page is
/// applied together with its cursor in one transaction. Running `sync` again continues.
public struct SyncEngine: Sendable {
    public struct Configuration: Sendable {
        /// Record states per push request.
        public var pushPageSize = 500
        /// Record states per pull request.
        public var pullPageSize = 1_000
        public init() {}
    }

    let replica: Replica
    let transport: any SyncTransport
    let configuration: Configuration
    let wallClock: @Sendable () -> Int64

    public init(
        replica: Replica, transport: any SyncTransport, configuration: Configuration = .init(),
        wallClock: @escaping @Sendable () -> Int64 = Replica.systemWallClock
    ) {
        self.replica = replica
        self.transport = transport
        self.configuration = configuration
        self.wallClock = wallClock
    }

    public func sync(progress: @Sendable (SyncProgress) -> Void = { _ in }) async throws -> SyncReport {
        var report = SyncReport()
        progress(SyncProgress(phase: .connecting, done: 0, total: nil))
        let session = try await transport.session()
        guard session.nodeId == replica.nodeID.rawValue else {
            throw SyncClientError(
                .wrongNode,
                "the token belongs to node \(session.nodeId) but this replica is node \(replica.nodeID); "
                    + "use the token issued for this node")
        }
        report.clockSkewMilliseconds = session.serverTime - wallClock()
        report.pushed = try await push(progress: progress)
        let pull = try await pull(progress: progress)
        report.pulled = pull.received
        report.conflicts = pull.conflictsOpened
        report.conflictsClosed = pull.conflictsClosed
        report.serverDigest = pull.serverDigest
        try finish(&report)
        progress(SyncProgress(phase: .done, done: report.pushed + report.pulled, total: nil))
        return report
    }

    /// Sends every pending record state, page by page, until none is left.
    func push(progress: @Sendable (SyncProgress) -> Void) async throws -> Int {
        let total = try replica.pendingRecordCount()
        var pushed = 0
        var rounds = 0
        while true {
            let page = try replica.pendingRecords(limit: configuration.pushPageSize)
            if page.isEmpty { break }
            _ = try await transport.push(PushRequest(changes: page.map { WireChange($0.state) }))
            try replica.acknowledge(page)
            pushed += page.count
            rounds += 1
            progress(SyncProgress(phase: .pushing, done: pushed, total: max(total, pushed)))
            // Records written again while in flight stay pending; stop rather than chase a busy writer.
            if rounds > total / max(configuration.pushPageSize, 1) + 10 { break }
        }
        try replica.acknowledge([])
        return pushed
    }

    struct PullOutcome {
        var received = 0
        var conflictsOpened = 0
        var conflictsClosed = 0
        var serverDigest = ""
    }

    /// Applies pages from the server until it says there is no more.
    func pull(progress: @Sendable (SyncProgress) -> Void) async throws -> PullOutcome {
        var outcome = PullOutcome()
        var cursor = try replica.pullCursor()
        var restarted = false
        while true {
            let response: PullResponse
            do {
                response = try await transport.pull(since: cursor, limit: configuration.pullPageSize)
            } catch let error as SyncClientError where error.code == .cursorAhead && !restarted {
                // The server's feed was reset (a restored or replaced database). Merging is
                // idempotent, so pulling everything again from the start is safe.
                restarted = true
                cursor = 0
                try replica.resetPullCursor()
                continue
            }
            var states: [RecordState] = []
            states.reserveCapacity(response.changes.count)
            for change in response.changes {
                do {
                    states.append(try change.recordState())
                } catch {
                    throw SyncClientError(.badResponse, "the server sent a malformed change: \(error.message)")
                }
            }
            var names: [NodeID: String] = [:]
            for (id, name) in response.nodes { if let node = NodeID(id) { names[node] = name } }
            let applied = try replica.applyPulledPage(states, cursor: response.nextCursor, nodeNames: names)
            outcome.received += applied.received
            outcome.conflictsOpened += applied.conflictsOpened
            outcome.conflictsClosed += applied.conflictsClosed
            outcome.serverDigest = response.digest
            progress(SyncProgress(phase: .pulling, done: outcome.received, total: nil))
            guard response.hasMore, response.nextCursor > cursor else { break }
            cursor = response.nextCursor
        }
        return outcome
    }

    /// Compares digests and records the sync's result in the replica.
    func finish(_ report: inout SyncReport) throws {
        let pending = try replica.pendingRecordCount()
        let (digest, open) = try replica.read { reader in (try reader.digest(), try reader.conflicts().count) }
        report.localDigest = digest.hex
        report.openConflicts = open
        report.digestMatches = pending == 0 ? digest.hex == report.serverDigest : nil
        let now = wallClock()
        let matches = report.digestMatches
        let skew = report.clockSkewMilliseconds
        try replica.write { transaction in
            try transaction.setSetting("last_sync_at", String(now))
            try transaction.setSetting("last_sync_digest_match", matches.map { $0 ? "yes" : "no" } ?? "unknown")
            try transaction.setSetting("last_server_digest", report.serverDigest)
            try transaction.setSetting("last_clock_skew_ms", String(skew))
        }
    }
}
