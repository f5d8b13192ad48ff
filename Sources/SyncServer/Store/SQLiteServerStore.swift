import Foundation
import GRDB
public import Replica
public import SyncCore

/// The embedded server store: a server-role replica plus the node registry, in one SQLite file.
///
/// The same store serves a center's laptops (`Serving.hub`, `SQLiteServerStore+Hub`): the
/// center's own node replica, with its feed turned on and a registry of its laptops beside it.
public final class SQLiteServerStore: Sendable {
    /// Whom this store serves.
    public enum Serving: Sendable {
        /// The central office: its own server replica; it computes the stable vector.
        case central
        /// A center serving its laptops from its own node replica: the stable vector is the one
        /// the center adopted from upstream, and its epoch is kept apart from the upstream's.
        case hub
    }

    public let replica: Replica
    public let serving: Serving
    /// A hub's public signing key, told to its laptops; nil for the central office.
    public let serverSigningKey: String?
    let wallClock: @Sendable () -> Int64

    /// Opens the server database at `path`, creating it (mode 0600) if it does not exist.
    public convenience init(
        path: String, catalog: RecordCatalog = .hearth,
        wallClock: @escaping @Sendable () -> Int64 = Replica.systemWallClock
    ) throws {
        let replica: Replica
        if FileManager.default.fileExists(atPath: path) {
            replica = try Replica.open(at: path, catalog: catalog, wallClock: wallClock)
            guard replica.role == .server else {
                try? replica.close()
                throw ReplicaError(
                    .refused,
                    "\(path) is a node replica, not a server database; give hearth-server another --db "
                        + "(a center serves its laptops with `hearth serve`)")
            }
        } else {
            replica = try Replica.create(
                at: path, name: "central office", role: .server, catalog: catalog, wallClock: wallClock)
        }
        try self.init(replica: replica, serving: .central, wallClock: wallClock)
    }

    init(replica: Replica, serving: Serving, wallClock: @escaping @Sendable () -> Int64) throws {
        self.replica = replica
        self.serving = serving
        self.wallClock = wallClock
        self.serverSigningKey = serving == .hub ? try replica.signingKey().publicKey.hex : nil
        let epochKey = serving == .central ? Self.epochKey : Self.hubEpochKey
        try replica.write { transaction in
            try Self.createRegistry(transaction.db)
            if try transaction.setting(epochKey) == nil {
                try transaction.setSetting(epochKey, UUIDText.random())
            }
        }
    }

    /// The registry's tables, created or brought up to date.
    static func createRegistry(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS registered_node (
                    node_id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    token_id TEXT NOT NULL UNIQUE,
                    token_hash BLOB NOT NULL,
                    can_forward INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    last_seen_at INTEGER,
                    last_pull_cursor INTEGER NOT NULL DEFAULT 0,
                    pushed_changes INTEGER NOT NULL DEFAULT 0,
                    revoked_at INTEGER)
                """)
        let columns = Set(try db.columns(in: "registered_node").map(\.name))
        // Added after the first release: which hub may forward a laptop's writes.
        if !columns.contains("hub_id") {
            try db.execute(sql: "ALTER TABLE registered_node ADD COLUMN hub_id TEXT")
        }
        // Set when a revoked node is readmitted: it may have missed collections (see `readmitNode`).
        if !columns.contains("resync") {
            try db.execute(sql: "ALTER TABLE registered_node ADD COLUMN resync INTEGER NOT NULL DEFAULT 0")
        }
        // Where a laptop's hub vouches it has caught up with this feed (`SQLiteServerStore+HubLaptops`).
        if !columns.contains("vouched_cursor") {
            try db.execute(
                sql: "ALTER TABLE registered_node ADD COLUMN vouched_cursor INTEGER NOT NULL DEFAULT 0")
        }
        // Where the slowest live node has pulled to, read at every caught-up pull while a write
        // waits to become stable (`promote`): an index lookup instead of a scan of every node.
        try db.execute(
            sql: """
                CREATE INDEX IF NOT EXISTS registered_node_pulled_to
                ON registered_node (max(last_pull_cursor, vouched_cursor)) WHERE revoked_at IS NULL
                """)
        // The Ed25519 public keys that sign each node's change files.
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS node_key (
                    node_id TEXT NOT NULL,
                    public_key TEXT NOT NULL,
                    added_at INTEGER NOT NULL,
                    PRIMARY KEY (node_id, public_key)) WITHOUT ROWID
                """)
        try createWriterTable(db)
    }

    public func addNode(name: String, canForward: Bool, id: NodeID? = nil, hub: NodeID? = nil) throws -> (
        node: RegisteredNode, token: String
    ) {
        let (node, token) = try RegisteredNode.newcomer(
            name: name, canForward: canForward, id: id, hub: hub, at: wallClock())
        let trimmed = node.name
        try replica.write { transaction in
            let taken =
                try Bool.fetchOne(
                    transaction.db, sql: "SELECT EXISTS (SELECT 1 FROM registered_node WHERE node_id = ?)",
                    arguments: [node.id.rawValue]) ?? false
            let takenByWriter =
                try Bool.fetchOne(
                    transaction.db, sql: "SELECT EXISTS (SELECT 1 FROM writer WHERE writer_id = ?)",
                    arguments: [node.id.rawValue]) ?? false
            if taken || takenByWriter || node.id == replica.nodeID {
                throw ReplicaError(
                    .alreadyExists, "node \(node.id) is already registered; see `\(listCommand)`")
            }
            if let hub {
                let isHub =
                    try Bool.fetchOne(
                        transaction.db,
                        sql: "SELECT can_forward FROM registered_node WHERE node_id = ? AND revoked_at IS NULL",
                        arguments: [hub.rawValue]) ?? false
                guard isHub else {
                    throw ReplicaError(
                        .refused,
                        "node \(hub) is not a registered hub; register the center with `hearth-server node add NAME "
                            + "--forward` first")
                }
            }
            try transaction.db.execute(
                sql: """
                    INSERT INTO registered_node (node_id, name, token_id, token_hash, can_forward, created_at, hub_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    node.id.rawValue, trimmed, token.tokenID, Data(token.secretHash), canForward, node.createdAt,
                    hub?.rawValue,
                ])
            try transaction.db.execute(
                sql: "INSERT INTO writer (writer_id, node_id) VALUES (?, ?)",
                arguments: [node.id.rawValue, node.id.rawValue])
        }
        try replica.rememberNodeNames([node.id: trimmed])
        return (node, token.text)
    }

    public func nodes() throws -> [RegisteredNode] {
        try replica.read { reader in
            try Row.fetchAll(reader.db, sql: "SELECT * FROM registered_node ORDER BY created_at, name").map(
                Self.node(from:))
        }
    }

    public func revokeNode(_ id: NodeID) throws {
        try replica.write { transaction in
            try transaction.db.execute(
                sql: "UPDATE registered_node SET revoked_at = ? WHERE node_id = ? AND revoked_at IS NULL",
                arguments: [wallClock(), id.rawValue])
            if transaction.db.changesCount == 0 {
                throw try unchanged(id, transaction.db, because: "node \(id) is already revoked")
            }
            // A revoked node no longer holds collection back; what it wrote and pushed is settled.
            try Self.retireWriters(of: id, transaction.db)
            if serving == .central { _ = try Self.promote(transaction) }
        }
    }

    /// Gives a revoked node a new token and lets it sync again (a lost laptop that was found).
    ///
    /// Collection went on without it, so at its next sync it is told to re-synchronise: it takes
    /// a new writer identity for the writes it never pushed, pulls everything again and removes
    /// what was collected meanwhile, keeping its own unsynced edits (PROTOCOL.md §22.4).
    public func readmitNode(_ id: NodeID) throws -> (node: RegisteredNode, token: String) {
        let token = NodeToken.generate()
        try replica.write { transaction in
            try transaction.db.execute(
                sql: """
                    UPDATE registered_node SET revoked_at = NULL, resync = 1, token_id = ?, token_hash = ?
                    WHERE node_id = ? AND revoked_at IS NOT NULL
                    """, arguments: [token.tokenID, Data(token.secretHash), id.rawValue])
            if transaction.db.changesCount == 0 {
                throw try unchanged(
                    id, transaction.db, because: "node \(id) is not revoked; only a revoked node can be readmitted")
            }
        }
        guard let node = try nodes().first(where: { $0.id == id }) else {
            throw ReplicaError(.notFound, "no node with id \(id); see `\(listCommand)`")
        }
        return (node, token.text)
    }

    /// Why an update of node `id` changed nothing: `reason` if the node exists, else "no such node".
    /// The command that lists this registry: the central office's, or a center's laptops.
    private var listCommand: String { serving == .central ? "hearth-server node list" : "hearth node list" }

    private func unchanged(_ id: NodeID, _ db: Database, because reason: String) throws -> ReplicaError {
        let exists =
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM registered_node WHERE node_id = ?)", arguments: [id.rawValue])
            ?? false
        return exists
            ? ReplicaError(.refused, reason)
            : ReplicaError(.notFound, "no node with id \(id); see `\(listCommand)`")
    }

    public func standing(of node: NodeID) throws -> NodeStanding {
        try replica.read { reader in
            guard
                let row = try Row.fetchOne(
                    reader.db.cachedStatement(
                        sql: "SELECT last_pull_cursor, resync FROM registered_node WHERE node_id = ?"),
                    arguments: [node.rawValue])
            else { return NodeStanding(pulledThrough: 0, mustResync: false) }
            return NodeStanding(pulledThrough: row[0], mustResync: row[1])
        }
    }

    public func clearResync(of node: NodeID) throws {
        // Every pull from 0 asks (every new node's first ones); almost never is it set, and a
        // read costs no write transaction.
        guard try standing(of: node).mustResync else { return }
        try replica.write { transaction in
            try transaction.db.execute(
                sql: "UPDATE registered_node SET resync = 0 WHERE node_id = ? AND resync = 1",
                arguments: [node.rawValue])
        }
    }

    public func authenticate(token: String) throws -> RegisteredNode? {
        guard let presented = NodeToken(parsing: token) else { return nil }
        return try replica.read { reader in
            guard
                let row = try Row.fetchOne(
                    reader.db.cachedStatement(sql: "SELECT * FROM registered_node WHERE token_id = ?"),
                    arguments: [presented.tokenID])
            else { return nil }
            let stored: Data = row["token_hash"]
            guard NodeToken.constantTimeEqual(Array(stored), presented.secretHash) else { return nil }
            let node = try Self.node(from: row)
            return node.isRevoked ? nil : node
        }
    }

    public func authors(for node: RegisteredNode) throws -> Set<NodeID> {
        try replica.read { reader in
            // The node's writer identities, and for a hub those of its own laptops.
            let writers = try String.fetchAll(
                reader.db,
                sql: """
                    SELECT writer_id FROM writer WHERE node_id = ?1
                        OR (?2 AND node_id IN (SELECT node_id FROM registered_node WHERE hub_id = ?1))
                    """, arguments: [node.id.rawValue, node.canForward])
            return Set(writers.map(NodeID.init(trusted:))).union([node.id])
        }
    }

    public func applyPush(
        _ states: [RecordState], from node: RegisteredNode,
        authorize: (_ change: PushedChange) -> String?
    ) throws -> PushApplyReport {
        try replica.applyPushedPage(states, from: node.id, authorize: authorize)
    }

    public func feedPage(after cursor: Int64, for node: RegisteredNode?, limit: Int) throws -> FeedPage {
        try replica.feedPage(after: cursor, for: node?.id, limit: limit)
    }

    public func feedPosition() throws -> Int64 {
        try replica.read { reader in try Replica.latestFeedPosition(reader.db) }
    }

    public func nodeNames(of ids: Set<NodeID>) throws -> [NodeID: String] {
        guard !ids.isEmpty else { return [:] }
        return try replica.read { reader in
            var names: [NodeID: String] = [:]
            // One parameter however many writers a page names: ids are UUIDs, safe as JSON text.
            let wanted = "[" + ids.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]"
            // Writer identities (a re-installed laptop's) carry their node's name.
            let rows = try Row.fetchAll(
                reader.db.cachedStatement(
                    sql: """
                        SELECT node_id, name FROM registered_node WHERE node_id IN (SELECT value FROM json_each(?1))
                        UNION ALL SELECT writer.writer_id, registered_node.name FROM writer
                        JOIN registered_node ON registered_node.node_id = writer.node_id
                        WHERE writer.writer_id IN (SELECT value FROM json_each(?1))
                        """), arguments: [wanted])
            for row in rows { names[NodeID(trusted: row[0])] = row[1] }
            // A hub also passes on the names it learned upstream, and its own.
            if serving == .hub {
                for (id, name) in try reader.nodeNames() where ids.contains(id) && names[id] == nil { names[id] = name }
            }
            return names
        }
    }

    public func noteActivity(of node: NodeID, at time: Int64, pullCursor: Int64?, pushed: Int) throws {
        try replica.write { transaction in
            try Self.noteActivity(of: node, at: time, pullCursor: pullCursor, pushed: pushed, transaction.db)
        }
    }

    static func noteActivity(of node: NodeID, at time: Int64, pullCursor: Int64?, pushed: Int, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                UPDATE registered_node SET last_seen_at = ?,
                    last_pull_cursor = max(last_pull_cursor, coalesce(?, last_pull_cursor)),
                    pushed_changes = pushed_changes + ?
                WHERE node_id = ?
                """
        ).execute(arguments: [time, pullCursor, pushed, node.rawValue])
    }

    /// Where the server's epoch is kept (`replica_meta`).
    static let epochKey = "server_epoch"
    /// Where a hub keeps the epoch it serves under: its `server_epoch` is its upstream's.
    static let hubEpochKey = Replica.hubEpochKey

    public func epoch() throws -> String {
        let key = serving == .central ? Self.epochKey : Self.hubEpochKey
        return try replica.read { reader in try reader.setting(key) ?? "" }
    }

    /// Writes a consistent copy of the server database to `path` (mode 0600), while it serves,
    /// with a new epoch: a server restored from that copy is told apart from the one that went on,
    /// so its nodes re-pull everything and re-send what it lost.
    public func backup(to path: String) throws {
        try replica.backup(to: path)
        do {
            // A plain connection in rollback-journal mode: the copy stays one self-contained file.
            let copy = try DatabaseQueue(path: path)
            try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try copy.write { db in
                try db.execute(
                    sql: "UPDATE replica_meta SET value = ? WHERE key = ?",
                    arguments: [UUIDText.random(), Self.epochKey])
            }
            try copy.close()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw ReplicaError(.storage, "cannot finish the backup at \(path)", cause: error)
        }
    }

    public var catalogVersion: Int { replica.catalog.version }

    /// The node id of the replica serving: the central office's, or the hub's.
    public var serverID: NodeID { replica.nodeID }

    public func close() throws {
        try replica.close()
    }

    private static func node(from row: Row) throws -> RegisteredNode {
        RegisteredNode(
            id: NodeID(trusted: row["node_id"]), name: row["name"], canForward: row["can_forward"],
            hubID: (row["hub_id"] as String?).map(NodeID.init(trusted:)), createdAt: row["created_at"],
            lastSeenAt: row["last_seen_at"], lastPullCursor: row["last_pull_cursor"],
            pushedChanges: row["pushed_changes"], revokedAt: row["revoked_at"])
    }
}
