public import SyncCore

/// `POST /v1/changes`: a page of record states the node holds that the server may lack.
///
/// `WireCodec` writes and reads it on the sync path; `Codable` gives the same JSON.
public struct PushRequest: Codable, Sendable {
    public var changes: [WireChange]
    public init(changes: [WireChange]) { self.changes = changes }
    /// A page of the replica's own states: they go on the wire as they are, with no copy into wire form.
    public init(states: [RecordState]) { self.changes = states.map(WireChange.init) }
}

/// The server merged the page in one transaction, change by change: the changes it refused
/// are listed, everything else was merged.
public struct PushResponse: Codable, Sendable {
    /// One change the server left out, named by its position in the page (from 0).
    public struct Refusal: Codable, Sendable, Hashable {
        public var index: Int
        /// `forbidden` (the node could not have written it) or `invalid_change` (it breaks the declarations).
        public var code: String
        /// What is wrong and what to do; never a value.
        public var message: String

        public init(index: Int, code: String, message: String) {
            self.index = index
            self.code = code
            self.message = message
        }
    }

    /// Changes that changed the server's state.
    public var accepted: Int
    /// Changes the server already knew (a retried page lands here).
    public var alreadyKnown: Int
    /// Conflicts the page opened on the server.
    public var conflicts: Int
    /// Changes left out; the node keeps them pending and shows them.
    public var refused: [Refusal]
    /// Positions of changes to records the server had collected (PROTOCOL.md §22.3): it merged
    /// them without their versions under `stable`, or dropped them when nothing else was left.
    /// The node applies the same rule to its copy.
    public var collected: [Int]
    /// The stable vector those changes were checked against (writer id → write number); empty
    /// when `collected` is.
    public var stable: [String: UInt64]
    /// The server's clock, milliseconds since 1970, so nodes can warn about skew.
    public var serverTime: Int64

    public init(
        accepted: Int, alreadyKnown: Int, conflicts: Int, refused: [Refusal] = [], collected: [Int] = [],
        stable: [String: UInt64] = [:], serverTime: Int64
    ) {
        self.accepted = accepted
        self.alreadyKnown = alreadyKnown
        self.conflicts = conflicts
        self.refused = refused
        self.collected = collected
        self.stable = stable
        self.serverTime = serverTime
    }
}

/// `GET /v1/changes?since=CURSOR&limit=N`: the changes after the node's cursor.
///
/// `WireCodec` writes and reads it on the sync path; `Codable` gives the same JSON.
public struct PullResponse: Codable, Sendable {
    public var changes: [WireChange]
    /// Ask with this `since` next time; store it with the applied page.
    public var nextCursor: Int64
    public var hasMore: Bool
    /// The digest of the server's whole replica at this page's snapshot.
    public var digest: String
    /// Names of the nodes, by id, for explaining conflicts.
    public var nodes: [String: String]
    public var serverTime: Int64
    /// On the last page (`hasMore` false): the stable vector at this page's snapshot, writer id →
    /// write number (PROTOCOL.md §22). The node adopts it and collects the tombstones it covers.
    public var stable: [String: UInt64]?
    /// The `since` this page answers. A client checks it against what it asked for: a page that
    /// answers another position (a stale cache, a mixed-up retry) must not be applied, or a pull
    /// could skip entries and a re-synchronisation end with a partial sweep. Nil from a server
    /// that does not send it.
    public var since: Int64?

    public init(
        changes: [WireChange], nextCursor: Int64, hasMore: Bool, digest: String, nodes: [String: String],
        serverTime: Int64, stable: [String: UInt64]? = nil, since: Int64? = nil
    ) {
        self.since = since
        self.changes = changes
        self.nextCursor = nextCursor
        self.hasMore = hasMore
        self.digest = digest
        self.nodes = nodes
        self.serverTime = serverTime
        self.stable = stable
    }
}

/// `GET /v1/session`: who the token belongs to.
public struct SessionResponse: Codable, Sendable {
    public var nodeId: String
    public var name: String
    public var protocolVersion: Int
    public var serverTime: Int64
    /// The server database's identity; it changes when the server is restored from a backup, and
    /// a node that sees it change re-pulls everything and re-sends its own writes.
    public var serverEpoch: String
    /// The highest write counter of the asked writer identity the server holds; a replica whose
    /// own counter is lower was re-installed or restored and must never reuse one.
    public var highestCounter: UInt64
    /// The newest write of that writer the node reported after a push (counter 0: none), and its
    /// tag: a replica holding no write under that counter and tag lost writes the server knows.
    public var lineageCounter: UInt64
    public var lineageTag: String
    /// The version of the record declarations the server's build knows; a node whose own is
    /// lower keeps what it does not know opaquely and should be upgraded to show it.
    public var catalogVersion: Int
    /// The feed position the server recorded this node as having pulled up to; a replica whose
    /// own cursor is lower is an older copy (restored from a backup) and re-synchronises.
    public var pulledThrough: Int64
    /// The node was readmitted after a revoke: it re-synchronises (PROTOCOL.md §22.4).
    public var resync: Bool
    /// The node id of the server (or hub) answering: change files made for it name it (§23).
    /// Nil from a server that does not send it.
    public var serverNodeId: String?
    /// For a hub: the public key (64 hex digits) its change files are signed with, so that its
    /// laptops can import them (§23). Nil from the central office.
    public var serverSigningKey: String?

    public init(
        nodeId: String, name: String, protocolVersion: Int, serverTime: Int64, serverEpoch: String,
        highestCounter: UInt64, lineageCounter: UInt64 = 0, lineageTag: String = "", catalogVersion: Int = 1,
        pulledThrough: Int64 = 0, resync: Bool = false, serverNodeId: String? = nil, serverSigningKey: String? = nil
    ) {
        self.serverNodeId = serverNodeId
        self.serverSigningKey = serverSigningKey
        self.pulledThrough = pulledThrough
        self.resync = resync
        self.catalogVersion = catalogVersion
        self.nodeId = nodeId
        self.name = name
        self.protocolVersion = protocolVersion
        self.serverTime = serverTime
        self.serverEpoch = serverEpoch
        self.highestCounter = highestCounter
        self.lineageCounter = lineageCounter
        self.lineageTag = lineageTag
    }
}

/// A writer identity's newest write, as a node reports it with a push (`writer`, `counter` and
/// `tag` query parameters): what the next session's `lineageCounter` and `lineageTag` return.
public struct PushLineage: Sendable, Hashable {
    public var writer: String
    public var counter: UInt64
    public var tag: String

    public init(writer: String, counter: UInt64, tag: String) {
        self.writer = writer
        self.counter = counter
        self.tag = tag
    }
}

/// `GET /health`.
public struct HealthResponse: Codable, Sendable {
    public var status: String
    public var protocolVersion: Int
    public init(status: String, protocolVersion: Int) {
        self.status = status
        self.protocolVersion = protocolVersion
    }
}

/// Every error response: `{"error": {"code": "...", "message": "..."}}`.
public struct ErrorResponse: Codable, Sendable {
    public struct Body: Codable, Sendable {
        public var code: String
        public var message: String
    }
    public var error: Body

    public init(code: String, message: String) {
        self.error = Body(code: code, message: message)
    }
}

/// The error codes the server sends, with their HTTP status.
public enum ErrorCode {
    public static let unauthorized = "unauthorized"  // 401
    public static let forbidden = "forbidden"  // 403 (a dot of another node)
    public static let protocolTooOld = "protocol_too_old"  // 426 (client must upgrade)
    public static let protocolTooNew = "protocol_too_new"  // 400 (server must upgrade)
    public static let protocolMissing = "protocol_missing"  // 400
    public static let badRequest = "bad_request"  // 400
    public static let invalidChange = "invalid_change"  // 422
    public static let tooLarge = "payload_too_large"  // 413
    public static let notFound = "not_found"  // 404
    public static let cursorAhead = "cursor_ahead"  // 409 (the feed is behind the node's cursor)
    public static let internalError = "internal"  // 500
    public static let unavailable = "unavailable"  // 503 (the server's database is unreachable for now)
}

/// `GET /v1/changes/wait?since=CURSOR&timeout=SECONDS`: answered as soon as the feed holds
/// something after `since` for this node, or when the time is up (PROTOCOL.md §16.6).
public struct WaitResponse: Codable, Sendable {
    /// True when a pull from `since` now returns something.
    public var changed: Bool
    /// The feed's last position when answered.
    public var latest: Int64
    public var serverTime: Int64
    /// The server's epoch (§16.2), when `changed`: a node whose last session saw the same epoch
    /// and that has nothing to send may pull without a new session. Nil from older servers.
    public var serverEpoch: String?

    public init(changed: Bool, latest: Int64, serverTime: Int64, serverEpoch: String? = nil) {
        self.changed = changed
        self.latest = latest
        self.serverTime = serverTime
        self.serverEpoch = serverEpoch
    }
}
