public import Replica

/// What one sync did.
public struct SyncReport: Sendable, Hashable {
    /// Record states sent to the server and merged there.
    public var pushed = 0
    /// Record states the server refused: they stay pending (see `hearth status`).
    public var refused = 0
    /// Record states received from the server.
    public var pulled = 0
    /// The sync only pulled, without a session or a push (`SyncEngine.pullOnly`, live sync).
    public var pullOnly = false
    /// Conflicts this sync opened on this replica.
    public var conflicts = 0
    /// Conflicts this sync closed on this replica (resolutions from elsewhere).
    public var conflictsClosed = 0
    /// Deleted records forgotten because every node has seen their delete (tombstones collected),
    /// and records a re-synchronisation found the server had collected.
    public var collected = 0
    /// Records the server sent that had been collected here, deleted again (a restored server).
    public var zombiesDeleted = 0
    /// Conflicts open on this replica after the sync.
    public var openConflicts = 0
    /// Whether this replica's digest equals the server's after the sync; nil when it could not
    /// be compared (local writes happened during the sync).
    public var digestMatches: Bool?
    public var localDigest = ""
    public var serverDigest = ""
    /// What the replica did to stay consistent with a restored server or with its own lost writes.
    public var reconciliation = ServerReconciliation()
    /// The version of the record declarations the server knows (`hearth status` compares it).
    public var serverCatalogVersion = 1
    /// Server clock minus local clock, milliseconds (display only; never used for causality).
    public var clockSkewMilliseconds: Int64 = 0
    /// The node id of the server (or hub) this replica syncs with, when it said.
    public var upstreamNodeID: String?
    /// A hub's public key for its change files, when it said.
    public var upstreamSigningKey: String?
    /// This sync was with another server (or hub) than the last one: everything was pulled
    /// again and this node's records offered to it (`reconciliation.serverRestored` is set too).
    public var switchedUpstream = false
    /// For a hub: how many of its laptops the upstream registered, and why it refused others.
    public var laptopsRegistered = 0
    public var laptopRefusals: [String] = []

    public init() {}

    /// Clocks further apart than this get a warning.
    public static let clockSkewWarningMilliseconds: Int64 = 5 * 60 * 1000

    public var clockSkewIsLarge: Bool { abs(clockSkewMilliseconds) > Self.clockSkewWarningMilliseconds }
}

/// Where a running sync is, for progress display.
public struct SyncProgress: Sendable, Hashable {
    public enum Phase: String, Sendable { case connecting, pushing, pulling, done }
    public var phase: Phase
    public var done: Int
    /// The total when known (pushes know it; pulls do not).
    public var total: Int?
}
