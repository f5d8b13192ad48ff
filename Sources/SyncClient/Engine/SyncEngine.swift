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
    /// For a center serving laptops (`hearth serve`): its laptops as the upstream is told about
    /// them (`SQLiteServerStore.laptopsForUpstream`); nil for a node with none.
    let hubLaptops: (@Sendable () throws -> [HubLaptopsRequest.Laptop])?

    public init(
        replica: Replica, transport: any SyncTransport, configuration: Configuration = .init(),
        wallClock: @escaping @Sendable () -> Int64 = Replica.systemWallClock,
        hubLaptops: (@Sendable () throws -> [HubLaptopsRequest.Laptop])? = nil
    ) {
        self.replica = replica
        self.transport = transport
        self.configuration = configuration
        self.wallClock = wallClock
        self.hubLaptops = hubLaptops
    }

    public func sync(progress: @Sendable (SyncProgress) -> Void = { _ in }) async throws -> SyncReport {
        var report = SyncReport()
        progress(SyncProgress(phase: .connecting, done: 0, total: nil))
        let writer = try replica.currentWriter()
        let signingKey = try replica.signingKey().publicKey.hex
        let session = try await transport.session(writer: writer.rawValue, signingKey: signingKey)
        guard session.nodeId == replica.nodeID.rawValue else {
            throw SyncClientError(
                .wrongNode,
                "the token belongs to node \(session.nodeId) but this replica is node \(replica.nodeID); "
                    + "use the token issued for this node")
        }
        report.clockSkewMilliseconds = session.serverTime - wallClock()
        report.reconciliation = try replica.reconcile(
            serverEpoch: session.serverEpoch,
            server: WriteLineage(writer: writer, counter: session.lineageCounter, tag: session.lineageTag),
            highestCounter: session.highestCounter, pulledThrough: session.pulledThrough, mustResync: session.resync)
        report.serverCatalogVersion = session.catalogVersion
        report.upstreamNodeID = session.serverNodeId
        report.upstreamSigningKey = session.serverSigningKey
        // Another server than last time (a laptop moving between its hub and the central office)
        // also has another epoch; it is not a restore, though the replica does the same.
        if let previous = try replica.upstreamNodeID(), let current = session.serverNodeId {
            report.switchedUpstream = previous.rawValue != current
        }
        let newWriter = try replica.currentWriter()
        if newWriter != writer {
            // Registers the new writer identity with the server before anything carries it.
            _ = try await transport.session(writer: newWriter.rawValue)
        }
        // A hub's laptops are registered upstream before any of their writes travel on.
        let laptops = try hubLaptops?() ?? []
        if !laptops.isEmpty { try await registerLaptops(laptops, settled: false, &report) }
        // A push the server refused as a whole (a malformed or oversized page, a server error)
        // must not keep this node from receiving everyone else's changes: pull anyway, then say so.
        var pushFailure: SyncClientError?
        do {
            let pushed = try await push(progress: progress)
            report.pushed = pushed.merged
            report.refused = pushed.refused
        } catch let error as SyncClientError where Self.pullMayFollow(error) {
            pushFailure = error
        }
        // Every laptop write this hub held when the list above was taken has reached the
        // upstream only if the push left nothing behind: only then may it say them settled.
        let pendingAfterPush = try replica.pendingRecordCount()
        let pushedEverything = pushFailure == nil && report.refused == 0 && pendingAfterPush == 0
        report.note(try await pull(progress: progress))
        if let hubLaptops, !laptops.isEmpty {
            // Again after the pull: its checkpoint lets the hub vouch for more of its laptops' pulls.
            var vouched = try hubLaptops()
            let settled = Dictionary(laptops.map { ($0.nodeId, $0.settled) }) { first, _ in first }
            for index in vouched.indices {
                vouched[index].settled = pushedEverything ? settled[vouched[index].nodeId] ?? [:] : [:]
            }
            try await registerLaptops(vouched, settled: true, &report)
        }
        try finish(&report)
        progress(SyncProgress(phase: .done, done: report.pushed + report.pulled, total: nil))
        if let pushFailure {
            throw SyncClientError(
                pushFailure.code,
                "pulled \(report.pulled) changes, but the push failed: \(pushFailure.message)", cause: pushFailure)
        }
        return report
    }

    /// Pulls without a session or a push: for a watching node the server told of news, when the
    /// server's epoch is the one its last session saw and it has nothing to send
    /// (`SyncWatcher`, PROTOCOL.md §16.6). Everything else is as in `sync`: the pages, the
    /// cursor, the digest check. The caller checks the conditions; a node serving laptops
    /// always runs `sync`, as its upstream must hear about them.
    public func pullOnly() async throws -> SyncReport {
        var report = SyncReport()
        report.pullOnly = true
        report.note(try await pull(progress: { _ in }))
        try finish(&report, session: false)
        return report
    }

    /// Tells the upstream about this hub's laptops; without `settled`, leaves their settled writes out.
    ///
    /// An upstream that does not take this node as a hub (403), or does not know the endpoint (an
    /// older release: 404), does not stop the sync: this node's own changes still go up and
    /// everyone's come down; its laptops' writes are then refused change by change and stay
    /// pending, and the report says why.
    func registerLaptops(_ laptops: [HubLaptopsRequest.Laptop], settled: Bool, _ report: inout SyncReport)
        async throws
    {
        var sent = laptops
        if !settled { for index in sent.indices { sent[index].settled = [:] } }
        do {
            let response = try await transport.registerLaptops(HubLaptopsRequest(laptops: sent))
            report.laptopsRegistered = response.registered
            report.laptopRefusals = response.refused.map { "laptop \($0.nodeId): \($0.message)" }
        } catch let error as SyncClientError where [.forbidden, .rejected].contains(error.code) {
            report.laptopsRegistered = 0
            report.laptopRefusals = [
                "the server does not take this node's laptops (\(error.message)); their writes stay pending here"
            ]
        }
    }

    /// Whether a failed push leaves the server reachable and willing, so the pull is still worth trying.
    static func pullMayFollow(_ error: SyncClientError) -> Bool {
        [.rejected, .forbidden, .server, .badResponse].contains(error.code)
    }

    /// Sends every pending record state, page by page, in one pass.
    ///
    /// One page is in flight while the next is read from the replica, so the server merging a
    /// page and this node preparing the next one overlap. Pages never overlap (see
    /// `PendingPosition`); each is acknowledged once the server has merged it, except the
    /// changes it refused: they stay pending and are noted, with the server's reason, for
    /// `hearth status`. A record written again while the pass runs stays pending for the next
    /// sync, so a busy writer cannot keep a sync going forever.
    func push(progress: @Sendable (SyncProgress) -> Void) async throws -> (merged: Int, refused: Int) {
        let total = try replica.pendingRecordCount()
        try replica.clearPushRefusals()
        let newest = try replica.lineage()
        let lineage = PushLineage(writer: newest.writer.rawValue, counter: newest.counter, tag: newest.tag)
        var position = PendingPosition.start
        var pushed = 0
        var refusedCount = 0
        var inFlight: (records: [PendingRecord], reply: Task<PushResponse, any Error>)?
        defer { inFlight?.reply.cancel() }
        while true {
            let (records, next) = try replica.pendingRecords(after: position, limit: configuration.pushPageSize)
            position = next
            if let sent = inFlight {
                inFlight = nil
                let response = try await sent.reply.value
                let refused = try Self.refusals(in: response, of: sent.records)
                try replica.notePushRefusals(refused)
                let refusedIDs = Set(refused.map { $0.record.state.id })
                let collected = try Self.collected(in: response, of: sent.records)
                let collectedIDs = Set(collected.map(\.state.id))
                try replica.acknowledge(
                    sent.records.filter { !refusedIDs.contains($0.state.id) && !collectedIDs.contains($0.state.id) },
                    collected: collected, stable: try Self.stableVector(response.stable))
                pushed += sent.records.count - refused.count
                refusedCount += refused.count
                progress(SyncProgress(phase: .pushing, done: pushed + refusedCount, total: max(total, pushed)))
            }
            if records.isEmpty { break }
            let request = PushRequest(changes: records.map { WireChange($0.state) })
            let transport = self.transport
            inFlight = (records, Task { try await transport.push(request, lineage: lineage) })
        }
        try replica.acknowledge([])
        return (pushed, refusedCount)
    }

    /// The page's records the server refused, with its reasons; a refusal that names no change
    /// of the page means the server and this node disagree about the page itself.
    static func refusals(in response: PushResponse, of records: [PendingRecord]) throws -> [(
        record: PendingRecord, code: String, message: String
    )] {
        try response.refused.map { refusal in
            guard records.indices.contains(refusal.index) else {
                throw SyncClientError(
                    .badResponse, "the server refused change \(refusal.index) of a page of \(records.count)")
            }
            return (records[refusal.index], refusal.code, refusal.message)
        }
    }

    /// The page's records the server had collected (it stored them without their stable
    /// versions, or dropped them): this node applies the same rule to its copies.
    static func collected(in response: PushResponse, of records: [PendingRecord]) throws -> [PendingRecord] {
        try response.collected.map { index in
            guard records.indices.contains(index) else {
                throw SyncClientError(.badResponse, "the server named change \(index) of a page of \(records.count)")
            }
            return records[index]
        }
    }

    /// A stable vector from the wire; nil when it names something that is not a writer id.
    static func stableVector(_ wire: [String: UInt64]) throws -> VersionVector {
        var counters: [NodeID: UInt64] = [:]
        for (writer, counter) in wire {
            guard let node = NodeID(writer) else {
                throw SyncClientError(
                    .badResponse, "the server sent a stable vector naming something that is not a writer id")
            }
            counters[node] = counter
        }
        return VersionVector(counters)
    }

    struct PullOutcome {
        var received = 0
        var conflictsOpened = 0
        var conflictsClosed = 0
        var serverDigest = ""
        var collected = 0
        var zombiesDeleted = 0
    }

    /// Applies pages from the server until it says there is no more.
    ///
    /// The next page is requested as soon as a page arrives (its cursor is in the reply), so
    /// the server reads and sends page n + 1 while this node applies page n. Each page is
    /// applied with its cursor in one transaction, in order; an error drops the page in flight.
    func pull(progress: @Sendable (SyncProgress) -> Void) async throws -> PullOutcome {
        var outcome = PullOutcome()
        let limit = configuration.pullPageSize
        let transport = self.transport
        let includeOwn = try replica.pullsOwnStates()
        let settled = try replica.settledWrites()
        var (response, requested) = try await firstPage(limit: limit, includeOwn: includeOwn, settled: settled)
        while true {
            // A page that answers another position than the one asked for (a stale cache, a
            // mixed-up retry) is never applied: it could skip entries, and a re-synchronisation
            // ending on it would sweep out records the server still holds.
            if let answered = response.since, answered != requested {
                throw SyncClientError(
                    .badResponse,
                    "the server answered a pull from position \(answered) to a request from \(requested); "
                        + "nothing of it was applied, sync again")
            }
            // A page that does not move the cursor (a stale or replayed answer) ends the pull;
            // the digest check then tells, and the next sync continues from the stored cursor.
            let advances = response.hasMore && response.nextCursor > requested
            var following: Task<PullResponse, any Error>?
            defer { following?.cancel() }
            if advances {
                let cursor = response.nextCursor
                following = Task {
                    try await transport.pull(since: cursor, limit: limit, includeOwn: includeOwn, settled: settled)
                }
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
            let stable = try response.stable.map(Self.stableVector)
            let applied = try replica.applyPulledPage(
                states, cursor: response.nextCursor, nodeNames: names, stable: response.hasMore ? nil : stable)
            outcome.received += applied.received
            outcome.collected += applied.collected
            outcome.zombiesDeleted += applied.zombiesDeleted
            outcome.conflictsOpened += applied.conflictsOpened
            outcome.conflictsClosed += applied.conflictsClosed
            outcome.serverDigest = response.digest
            progress(SyncProgress(phase: .pulling, done: outcome.received, total: nil))
            guard let next = following else {
                if includeOwn && !response.hasMore { try replica.finishPullingOwnStates() }
                break
            }
            following = nil
            requested = response.nextCursor
            response = try await next.value
        }
        return outcome
    }

    /// The first pull of a sync, from the stored cursor; if the server's feed is behind it
    /// (a restored or replaced server database), from the beginning. Merging is idempotent,
    /// so pulling everything again is safe.
    private func firstPage(limit: Int, includeOwn: Bool, settled: SettledWrites) async throws -> (
        page: PullResponse, requested: Int64
    ) {
        let cursor = try replica.pullCursor()
        do {
            return (
                try await transport.pull(since: cursor, limit: limit, includeOwn: includeOwn, settled: settled), cursor
            )
        } catch let error as SyncClientError where error.code == .cursorAhead {
            try replica.resetPullCursor()
            return (try await transport.pull(since: 0, limit: limit, includeOwn: includeOwn, settled: settled), 0)
        }
    }

    /// Compares digests and records the sync's result in the replica; `session` false (a pull
    /// without one) leaves what only a session tells (clock skew, catalog, upstream) as it was.
    func finish(_ report: inout SyncReport, session: Bool = true) throws {
        // One snapshot: a write landing between the count and the digest cannot pass for matching.
        let (pending, digest, open) = try replica.read { reader in
            (try reader.pendingRecordCount(), try reader.digest(), try reader.openConflictCount())
        }
        report.localDigest = digest.hex
        report.openConflicts = open
        report.digestMatches = pending == 0 ? digest.hex == report.serverDigest : nil
        let now = wallClock()
        let matches = report.digestMatches
        let skew = report.clockSkewMilliseconds
        let serverCatalog = report.serverCatalogVersion
        try replica.write { transaction in
            try transaction.setSetting("last_sync_at", String(now))
            try transaction.setSetting("last_sync_digest_match", matches.map { $0 ? "yes" : "no" } ?? "unknown")
            try transaction.setSetting("last_server_digest", report.serverDigest)
            guard session else { return }
            try transaction.setSetting("last_clock_skew_ms", String(skew))
            try transaction.setSetting("server_catalog_version", String(serverCatalog))
            if let upstream = report.upstreamNodeID, NodeID(upstream) != nil {
                try transaction.setSetting(Replica.upstreamNodeKey, upstream)
                // The key belongs to that upstream only: a new upstream without one clears it.
                let key = report.upstreamSigningKey.flatMap(SigningPublicKey.init(hex:))
                try transaction.setSetting(Replica.upstreamSigningKeyKey, key?.hex)
            }
        }
    }
}

extension SyncReport {
    /// What a pull brought, in the report.
    mutating func note(_ pull: SyncEngine.PullOutcome) {
        pulled = pull.received
        conflicts = pull.conflictsOpened
        conflictsClosed = pull.conflictsClosed
        serverDigest = pull.serverDigest
        collected = pull.collected
        zombiesDeleted = pull.zombiesDeleted
    }
}
