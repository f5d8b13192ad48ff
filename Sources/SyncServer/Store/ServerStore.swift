public import Replica
public import SyncCore

/// Where the server keeps its replica and its node registry.
///
/// SQLite (`SQLiteServerStore`) is the embedded default; a PostgreSQL store for an office that
/// outgrows one machine is another conformance, not a rewrite: the protocol logic in
/// `SyncService` only talks to this interface. Methods block; the service calls them off the
/// event loops.
public protocol ServerStore: Sendable {
    /// Registers a node and returns it with its token, which is shown once and stored hashed.
    /// `id` keeps the identity of a replica that was created offline; nil issues a new one.
    /// `hub` registers a laptop whose writes that hub may forward.
    func addNode(name: String, canForward: Bool, id: NodeID?, hub: NodeID?) throws -> (
        node: RegisteredNode, token: String
    )
    func nodes() throws -> [RegisteredNode]
    /// Revokes a node's token: its requests are refused with 401 from then on.
    func revokeNode(_ id: NodeID) throws
    /// The live node a presented token belongs to, or nil for an unknown or revoked token.
    func authenticate(token: String) throws -> RegisteredNode?
    /// The nodes whose writes `node` may push: itself, and for a hub its own laptops.
    func authors(for node: RegisteredNode) throws -> Set<NodeID>
    /// Merges one pushed page in one transaction, change by change: a change `authorize` refuses
    /// (returning why) or that breaks the declarations is left out and reported.
    func applyPush(
        _ states: [RecordState], from node: RegisteredNode,
        authorize: (_ change: PushedChange) -> String?
    ) throws -> PushApplyReport
    /// One page of the feed after `cursor`, leaving out what `node` itself sent (nil: nothing).
    func feedPage(after cursor: Int64, for node: RegisteredNode?, limit: Int) throws -> FeedPage
    /// Display names of all registered nodes.
    func nodeNames() throws -> [NodeID: String]
    /// Notes that a node was seen (and where its pull got to), for `node list`.
    func noteActivity(of node: NodeID, at time: Int64, pullCursor: Int64?, pushed: Int) throws
    /// The server database's identity: set when it is created, new in every backup.
    func epoch() throws -> String
    /// Registers `writer` as a writer identity of `node` if it is new; false when it belongs to
    /// another node (or is another node's id).
    func claimWriter(_ writer: NodeID, for node: NodeID) throws -> Bool
    /// The highest write number merged, and the newest write reported, of a writer identity.
    func writerStatus(_ writer: NodeID) throws -> WriterStatus
    /// Notes, in one transaction, what a merged push tells about its node (see `PushNote`).
    func notePush(_ note: PushNote) throws
    /// Gives a revoked node a new token and marks it to re-synchronise at its next sync.
    func readmitNode(_ id: NodeID) throws -> (node: RegisteredNode, token: String)
    /// Where a node's pull has got to, as the server recorded it, and whether it must re-synchronise.
    func standing(of node: NodeID) throws -> NodeStanding
    /// Notes that a readmitted node has started its re-synchronisation.
    func clearResync(of node: NodeID) throws
    /// Notes, in one transaction, that a node caught up with the feed (when, and the position it
    /// asked from) and the writes it reports settled; advances the stable vector where every node
    /// has caught up and collects the tombstones it covers. Returns how many were collected.
    func noteCaughtUp(_ node: NodeID, at time: Int64, pulledFrom cursor: Int64, settled: SettledWrites?) throws
        -> Int
    /// The version of the record declarations this server's build knows.
    var catalogVersion: Int { get }
    func close() throws
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
