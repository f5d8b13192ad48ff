import Foundation
import HTTPTypes
public import HearthProtocol
public import Replica
public import SyncCore

/// The server side of the protocol, independent of HTTP and of the store: session, push and pull.
public struct SyncService: Sendable {
    public let store: any ServerStore
    let wallClock: @Sendable () -> Int64
    /// Wakes nodes waiting for the feed to move when a push here changed something (`+Watch`).
    let feedSignal = FeedSignal()
    /// The most changes one pull page returns.
    public var maxPullLimit = 5_000
    /// How often, while nodes wait for news (`GET /v1/changes/wait`), one poller reads the
    /// feed's last position to find writes made outside this process: another process on the
    /// same file (a center's own `hearth sync`), or another server on one PostgreSQL database.
    public var feedRecheckInterval: Duration = .seconds(1)

    public init(store: any ServerStore, wallClock: @escaping @Sendable () -> Int64 = Replica.systemWallClock) {
        self.store = store
        self.wallClock = wallClock
    }

    /// A service over the embedded SQLite store (its blocking calls run on a dispatch queue).
    public init(store: SQLiteServerStore, wallClock: @escaping @Sendable () -> Int64 = Replica.systemWallClock) {
        self.init(store: QueuedSQLiteStore(store), wallClock: wallClock)
    }

    /// Waits until every piece of store work already started has finished.
    ///
    /// A request whose client went away may leave its store work running; the store must not be
    /// closed under it. Call this after the HTTP server has stopped, before closing.
    public func finishStoreWork() async {
        await store.finishWork()
    }

    public func authenticate(token: String) async throws -> RegisteredNode? {
        try await store.authenticate(token: token)
    }

    /// Who the token belongs to, the server's identity (its epoch) and the highest write number
    /// it holds of the node, so that a re-installed or restored replica never reuses one.
    ///
    /// `writer` (nil: the node id) is the writer identity the node's new writes carry; a new one
    /// is registered for the node, one of another node is refused (403).
    ///
    /// `signingKey` (64 hex digits) is the Ed25519 public key the node signs its change files
    /// with; it is kept for the node beside any it presented before.
    public func session(for node: RegisteredNode, writer: String? = nil, signingKey: String? = nil) async throws
        -> SessionResponse
    {
        let now = wallClock()
        var presentedKey: SigningPublicKey?
        if let signingKey {
            guard let key = SigningPublicKey(hex: signingKey) else {
                throw SyncServerError.badRequest(
                    "query parameter signingKey must be an Ed25519 public key as 64 hex digits")
            }
            presentedKey = key
        }
        let writerID: NodeID
        if let writer {
            guard let parsed = NodeID(writer) else {
                throw SyncServerError.badRequest("query parameter writer must be a writer id (a UUID)")
            }
            writerID = parsed
        } else {
            writerID = node.id
        }
        try await store.noteActivity(of: node.id, at: now, pullCursor: nil, pushed: 0)
        let claimed = try await store.claimWriter(writerID, for: node.id)
        let epoch = try await store.epoch()
        let status = try await store.writerStatus(writerID)
        let standing = try await store.standing(of: node.id)
        guard claimed else {
            throw SyncServerError.forbidden(
                "writer \(writerID.short) belongs to another node; a node writes only under its own identities")
        }
        if let presentedKey { try await store.noteSigningKey(presentedKey.hex, for: node.id) }
        return SessionResponse(
            nodeId: node.id.rawValue, name: node.name, protocolVersion: ProtocolVersion.current, serverTime: now,
            serverEpoch: epoch, highestCounter: status.highestCounter, lineageCounter: status.lineageCounter,
            lineageTag: status.lineageTag, catalogVersion: store.catalogVersion,
            pulledThrough: standing.pulledThrough, resync: standing.mustResync, serverNodeId: store.serverID.rawValue,
            serverSigningKey: store.serverSigningKey)
    }

    /// Registers the laptops a hub tells about (`POST /v1/hub/laptops`): only a node registered
    /// to forward may, and only for laptops of its own; each laptop is refused on its own.
    public func registerLaptops(_ request: HubLaptopsRequest, from hub: RegisteredNode) async throws
        -> HubLaptopsResponse
    {
        guard hub.canForward else {
            throw SyncServerError.forbidden(
                "node \(hub.id) is not registered as a hub; register the center with `hearth-server node add NAME "
                    + "--forward` (or readmit it so) before it serves laptops")
        }
        let laptops = try request.laptops.map(Self.laptop)
        guard Set(laptops.map(\.id)).count == laptops.count else {
            throw SyncServerError.badRequest("each laptop may be named once per request")
        }
        let refused = try await store.registerLaptops(laptops, of: hub)
        return HubLaptopsResponse(
            registered: laptops.count - refused.count,
            refused: refused.sorted { $0.key < $1.key }.map {
                HubLaptopsResponse.Refusal(nodeId: $0.key.rawValue, message: $0.value)
            })
    }

    /// A laptop as the wire names it, checked: ids, the token's id and hash, keys and numbers.
    static func laptop(_ wire: HubLaptopsRequest.Laptop) throws -> HubLaptop {
        guard let id = NodeID(wire.nodeId) else {
            throw SyncServerError.badRequest("a laptop's nodeId must be a node id (a UUID)")
        }
        guard wire.tokenId.utf8.count == 16, HexBytes.decode(wire.tokenId, count: 8) != nil,
            let hash = HexBytes.decode(wire.tokenHash, count: 32)
        else {
            throw SyncServerError.badRequest(
                "laptop \(id): tokenId must be 16 hex digits and tokenHash a SHA-256 as 64 hex digits")
        }
        let name = wire.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else {
            throw SyncServerError.badRequest("laptop \(id): the name must be 1 to 200 characters")
        }
        var writers: [NodeID] = []
        for writer in wire.writers {
            guard let parsed = NodeID(writer) else {
                throw SyncServerError.badRequest("laptop \(id): each writer must be a writer id (a UUID)")
            }
            writers.append(parsed)
        }
        var keys: [String] = []
        for key in wire.signingKeys {
            guard let parsed = SigningPublicKey(hex: key) else {
                throw SyncServerError.badRequest("laptop \(id): each signing key must be 64 hex digits")
            }
            keys.append(parsed.hex)
        }
        var settled: [NodeID: UInt64] = [:]
        for (writer, counter) in wire.settled {
            guard let parsed = NodeID(writer) else {
                throw SyncServerError.badRequest("laptop \(id): settled must map writer ids to write numbers")
            }
            settled[parsed] = counter
        }
        guard wire.vouchedCursor >= 0, writers.count <= 1_000, keys.count <= 100 else {
            throw SyncServerError.badRequest(
                "laptop \(id): vouchedCursor must be 0 or more, with at most 1000 writers and 100 keys")
        }
        return HubLaptop(
            id: id, name: name, tokenID: wire.tokenId.lowercased(), tokenHash: hash, writers: writers,
            signingKeys: keys, revoked: wire.revoked, vouchedCursor: wire.vouchedCursor, settled: settled)
    }

    /// Merges a pushed page in one transaction, change by change (see `push(states:from:)`).
    /// A change that is not even well-formed refuses the page (422).
    public func push(_ request: PushRequest, from node: RegisteredNode, lineage: PushLineage? = nil) async throws
        -> PushResponse
    {
        var states: [RecordState] = []
        states.reserveCapacity(request.changes.count)
        for change in request.changes {
            do {
                states.append(try change.recordState())
            } catch {
                throw SyncServerError.invalidChange(error.message)
            }
        }
        return try await push(states: states, from: node, lineage: lineage)
    }

    /// Merges a pushed page whose changes are already read and checked (`WireCodec` did it).
    ///
    /// Each change is authorized against what the server holds (`WriteAuthorship`) and checked
    /// against the declarations; one that fails is left out and listed in the answer with its
    /// position and reason, and the rest of the page is merged, all in one transaction.
    ///
    /// `lineage`, the node's newest write of one of its writer identities, is noted for the next
    /// session's checks (PROTOCOL.md §16.2).
    public func push(states parsed: [RecordState], from node: RegisteredNode, lineage: PushLineage? = nil)
        async throws -> PushResponse
    {
        var reported: (writer: NodeID, counter: UInt64, tag: String)?
        if let lineage {
            guard let writer = NodeID(lineage.writer), lineage.tag.utf8.count <= 64 else {
                throw SyncServerError.badRequest("the writer and tag parameters must be a writer id and a write tag")
            }
            reported = (writer, lineage.counter, lineage.tag)
        }
        let authors = try await store.authors(for: node)
        let report = try await store.applyPush(parsed, from: node) { change in
            WriteAuthorship.violation(
                incoming: change.incoming, current: change.current, merged: change.result.state,
                isAuthor: authors.contains, stable: change.stable
            ).map { "change \(change.incoming.type) \(change.incoming.id) was refused: \($0)" }
        }
        let now = wallClock()
        let merged = parsed.count - report.refused.count
        let note = PushNote(
            node: node.id, time: now, merged: merged,
            highestCounters: Self.highestAuthorCounters(in: parsed, refused: report.refused), lineage: reported)
        try await store.notePush(note)
        if report.applied > 0 { await feedSignal.bump() }
        return PushResponse(
            accepted: report.applied, alreadyKnown: report.alreadyKnown, conflicts: report.conflictsOpened,
            refused: report.refused.map {
                PushResponse.Refusal(
                    index: $0.index, code: $0.reason == .forbidden ? ErrorCode.forbidden : ErrorCode.invalidChange,
                    message: $0.message)
            },
            collected: report.collected, stable: report.collected.isEmpty ? [:] : Self.wire(report.stable),
            serverTime: now)
    }

    /// The highest write number of each author in the merged changes of a page: their own
    /// vector entries, which only the author (or its hub) could have raised.
    static func highestAuthorCounters(in states: [RecordState], refused: [ChangeRefusal]) -> [NodeID: UInt64] {
        let refusedIndices = Set(refused.map(\.index))
        var highest: [NodeID: UInt64] = [:]
        for (index, state) in states.enumerated() where !refusedIndices.contains(index) {
            for entry in state.vector.sortedEntries where entry.counter > highest[entry.node] ?? 0 {
                highest[entry.node] = entry.counter
            }
        }
        return highest
    }

    /// Every writer a page's states name: their vectors' entries, which cover every dot of their
    /// fields and conflicting values.
    static func writers(of states: [RecordState]) -> Set<NodeID> {
        var writers: Set<NodeID> = []
        for state in states { writers.formUnion(state.vector.counters.keys) }
        return writers
    }

    /// The stable vector as the wire carries it: writer id → write number.
    static func wire(_ vector: VersionVector) -> [String: UInt64] {
        Dictionary(uniqueKeysWithValues: vector.sortedEntries.map { ($0.node.rawValue, $0.counter) })
    }

    /// One page of the feed; `includeOwn` also returns the states this node sent.
    ///
    /// `settled` is the node's report that every write of its writer identity up to a number has
    /// reached the server; with the position it asked from, it lets the stable vector advance
    /// once the node has caught up (PROTOCOL.md §22.2).
    public func pull(
        since cursor: Int64, limit: Int, includeOwn: Bool = false, settled: SettledWrites? = nil,
        for node: RegisteredNode
    ) async throws -> PullResponse {
        guard cursor >= 0 else { throw SyncServerError.badRequest("since must be 0 or a cursor from an earlier pull") }
        guard limit > 0 else { throw SyncServerError.badRequest("limit must be a positive number") }
        let pageLimit = min(limit, maxPullLimit)
        let page = try await store.feedPage(after: cursor, for: includeOwn ? nil : node, limit: pageLimit)
        let names = try await store.nodeNames(of: Self.writers(of: page.states))
        if cursor > page.latest {
            throw SyncServerError(
                ErrorCode.cursorAhead, .conflict,
                "this node's cursor is past the end of the server's feed, which ends at \(page.latest) (was the "
                    + "server database replaced?); pull again from 0")
        }
        let now = wallClock()
        if cursor == 0 {
            // A readmitted node has started its re-synchronisation from the beginning.
            try await store.clearResync(of: node.id)
        }
        if !page.hasMore {
            // Once per pull, when the node has caught up, not once per page: it is a write
            // transaction, and a server with many nodes pulling would queue them behind pushes.
            // The position noted is the one the node asked from: it stored that before asking,
            // so it holds everything before it even if this answer never arrives.
            _ = try await store.noteCaughtUp(node.id, at: now, pulledFrom: cursor, settled: settled)
        }
        return PullResponse(
            changes: page.states.map(WireChange.init), nextCursor: page.nextCursor, hasMore: page.hasMore,
            digest: page.digest.hex, nodes: Dictionary(uniqueKeysWithValues: names.map { ($0.key.rawValue, $0.value) }),
            serverTime: now, stable: page.hasMore ? nil : Self.wire(page.stable), since: cursor)
    }
}
