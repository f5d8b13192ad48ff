public import Replica
public import SyncCore

/// Where the server keeps its records and its node registry.
///
/// SQLite (`SQLiteServerStore`, through `QueuedSQLiteStore`) is the embedded default; PostgreSQL
/// (`PostgresServerStore`, several servers over one database) is the other. The protocol logic
/// lives above both: `SyncService` for sessions, pulls and the registry, `PushedPageMerge` for
/// merging pushed pages and `StablePromotion` for the stable vector; a store loads and saves.
/// The shared suite `ServerStoreContractTests` runs against both.
public protocol ServerStore: Sendable {
    /// Registers a node and returns it with its token, which is shown once and stored hashed.
    /// `id` keeps the identity of a replica that was created offline; nil issues a new one.
    /// `hub` registers a laptop whose writes that hub may forward.
    func addNode(name: String, canForward: Bool, id: NodeID?, hub: NodeID?) async throws -> (
        node: RegisteredNode, token: String
    )
    func nodes() async throws -> [RegisteredNode]
    /// Revokes a node's token: its requests are refused with 401 from then on.
    func revokeNode(_ id: NodeID) async throws
    /// The live node a presented token belongs to, or nil for an unknown or revoked token.
    func authenticate(token: String) async throws -> RegisteredNode?
    /// The nodes whose writes `node` may push: itself, and for a hub its own laptops.
    func authors(for node: RegisteredNode) async throws -> Set<NodeID>
    /// Merges one pushed page in one transaction, change by change: a change `authorize` refuses
    /// (returning why) or that breaks the declarations is left out and reported.
    func applyPush(
        _ states: [RecordState], from node: RegisteredNode,
        authorize: @escaping @Sendable (_ change: PushedChange) -> String?
    ) async throws -> PushApplyReport
    /// One page of the feed after `cursor`, leaving out what `node` itself sent (nil: nothing).
    func feedPage(after cursor: Int64, for node: RegisteredNode?, limit: Int) async throws -> FeedPage
    /// The feed's last position (the highest ever given), for the live-sync poller (`FeedSignal`).
    func feedPosition() async throws -> Int64
    /// Display names of the registered nodes and writer identities among `ids` (a pull page
    /// names only the writers of its changes: a server with thousands of nodes would otherwise
    /// send every name in every page).
    func nodeNames(of ids: Set<NodeID>) async throws -> [NodeID: String]
    /// Notes that a node was seen (and where its pull got to), for `node list`.
    func noteActivity(of node: NodeID, at time: Int64, pullCursor: Int64?, pushed: Int) async throws
    /// The server database's identity: set when it is created, new in every backup.
    func epoch() async throws -> String
    /// Registers `writer` as a writer identity of `node` if it is new; false when it belongs to
    /// another node (or is another node's id).
    func claimWriter(_ writer: NodeID, for node: NodeID) async throws -> Bool
    /// The highest write number merged, and the newest write reported, of a writer identity.
    func writerStatus(_ writer: NodeID) async throws -> WriterStatus
    /// Notes, in one transaction, what a merged push tells about its node (see `PushNote`).
    func notePush(_ note: PushNote) async throws
    /// Gives a revoked node a new token and marks it to re-synchronise at its next sync.
    func readmitNode(_ id: NodeID) async throws -> (node: RegisteredNode, token: String)
    /// Where a node's pull has got to, as the server recorded it, and whether it must re-synchronise.
    func standing(of node: NodeID) async throws -> NodeStanding
    /// Notes that a readmitted node has started its re-synchronisation.
    func clearResync(of node: NodeID) async throws
    /// Notes, in one transaction, that a node caught up with the feed (when, and the position it
    /// asked from) and the writes it reports settled; advances the stable vector where every node
    /// has caught up and collects the tombstones it covers. Returns how many were collected.
    func noteCaughtUp(_ node: NodeID, at time: Int64, pulledFrom cursor: Int64, settled: SettledWrites?)
        async throws -> Int
    /// Notes an Ed25519 public key `node` signs its change files with (PROTOCOL.md §23).
    func noteSigningKey(_ key: String, for node: NodeID) async throws
    /// Registers or updates the laptops a hub tells about (`HubLaptop`), each on its own: a
    /// laptop that would take another node's identity or writer is refused and the rest go on.
    /// Returns the refusals, by laptop, with the reason.
    func registerLaptops(_ laptops: [HubLaptop], of hub: RegisteredNode) async throws -> [NodeID: String]
    /// The version of the record declarations this server's build knows.
    var catalogVersion: Int { get }
    /// The node id of the server itself (PROTOCOL.md §16.2 `serverNodeId`).
    var serverID: NodeID { get }
    /// A hub's public signing key (§16.2 `serverSigningKey`); nil for the central office.
    var serverSigningKey: String? { get }
    /// Waits until the store work of requests already answered or abandoned has finished (a
    /// request whose client went away may leave some running); call it before `close`.
    func finishWork() async
    func close() async throws
}

/// What the server knows of a node's sync, told to it at the start of every sync.
public struct NodeStanding: Sendable, Hashable {
    /// The feed position the node had pulled up to when it last caught up.
    public var pulledThrough: Int64
    /// The node was readmitted after a revoke and must re-synchronise.
    public var mustResync: Bool

    public init(pulledThrough: Int64, mustResync: Bool) {
        self.pulledThrough = pulledThrough
        self.mustResync = mustResync
    }
}
