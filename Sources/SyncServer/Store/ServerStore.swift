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
        authorize: (_ incoming: RecordState, _ current: RecordState?, _ result: RecordMerge.Result) -> String?
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
    /// The version of the record declarations this server's build knows.
    var catalogVersion: Int { get }
    func close() throws
}
