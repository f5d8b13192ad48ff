import Dispatch
public import Replica
public import SyncCore

/// The SQLite server store as a `ServerStore`: its calls block on SQLite, so they run on a
/// dispatch queue and the caller awaits them, keeping Swift's cooperative threads and NIO's
/// event loops free. Tests, the demo and `hearth-server node` use `SQLiteServerStore` directly.
public struct QueuedSQLiteStore: ServerStore {
    public let base: SQLiteServerStore
    private static let queue = DispatchQueue(label: "hearth.server.store", attributes: .concurrent)

    public init(_ base: SQLiteServerStore) {
        self.base = base
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable (SQLiteServerStore) throws -> T) async throws -> T {
        let base = base
        return try await withCheckedThrowingContinuation { continuation in
            Self.queue.async { continuation.resume(with: Result { try body(base) }) }
        }
    }

    public func addNode(name: String, canForward: Bool, id: NodeID?, hub: NodeID?) async throws -> (
        node: RegisteredNode, token: String
    ) {
        try await run { try $0.addNode(name: name, canForward: canForward, id: id, hub: hub) }
    }

    public func nodes() async throws -> [RegisteredNode] { try await run { try $0.nodes() } }
    public func revokeNode(_ id: NodeID) async throws { try await run { try $0.revokeNode(id) } }
    public func authenticate(token: String) async throws -> RegisteredNode? {
        try await run { try $0.authenticate(token: token) }
    }
    public func authors(for node: RegisteredNode) async throws -> Set<NodeID> {
        try await run { try $0.authors(for: node) }
    }

    public func applyPush(
        _ states: [RecordState], from node: RegisteredNode,
        authorize: @escaping @Sendable (_ change: PushedChange) -> String?
    ) async throws -> PushApplyReport {
        try await run { try $0.applyPush(states, from: node, authorize: authorize) }
    }

    public func feedPage(after cursor: Int64, for node: RegisteredNode?, limit: Int) async throws -> FeedPage {
        try await run { try $0.feedPage(after: cursor, for: node, limit: limit) }
    }

    public func nodeNames(of ids: Set<NodeID>) async throws -> [NodeID: String] {
        try await run { try $0.nodeNames(of: ids) }
    }
    public func feedPosition() async throws -> Int64 { try await run { try $0.feedPosition() } }
    public func noteActivity(of node: NodeID, at time: Int64, pullCursor: Int64?, pushed: Int) async throws {
        try await run { try $0.noteActivity(of: node, at: time, pullCursor: pullCursor, pushed: pushed) }
    }
    public func epoch() async throws -> String { try await run { try $0.epoch() } }
    public func claimWriter(_ writer: NodeID, for node: NodeID) async throws -> Bool {
        try await run { try $0.claimWriter(writer, for: node) }
    }
    public func writerStatus(_ writer: NodeID) async throws -> WriterStatus {
        try await run { try $0.writerStatus(writer) }
    }
    public func notePush(_ note: PushNote) async throws { try await run { try $0.notePush(note) } }
    public func readmitNode(_ id: NodeID) async throws -> (node: RegisteredNode, token: String) {
        try await run { try $0.readmitNode(id) }
    }
    public func standing(of node: NodeID) async throws -> NodeStanding { try await run { try $0.standing(of: node) } }
    public func clearResync(of node: NodeID) async throws { try await run { try $0.clearResync(of: node) } }
    public func noteCaughtUp(_ node: NodeID, at time: Int64, pulledFrom cursor: Int64, settled: SettledWrites?)
        async throws -> Int
    {
        try await run { try $0.noteCaughtUp(node, at: time, pulledFrom: cursor, settled: settled) }
    }

    public func noteSigningKey(_ key: String, for node: NodeID) async throws {
        try await run { try $0.noteSigningKey(key, for: node) }
    }
    public func registerLaptops(_ laptops: [HubLaptop], of hub: RegisteredNode) async throws -> [NodeID: String] {
        try await run { try $0.registerLaptops(laptops, of: hub) }
    }

    public var catalogVersion: Int { base.catalogVersion }
    public var serverID: NodeID { base.serverID }
    public var serverSigningKey: String? { base.serverSigningKey }

    public func finishWork() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Self.queue.async(flags: .barrier) { continuation.resume() }
        }
    }

    public func close() async throws {
        await finishWork()
        try base.close()
    }
}
