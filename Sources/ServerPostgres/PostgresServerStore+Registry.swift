import Foundation
import PostgresNIO
import Replica
public import SyncCore
public import SyncServer

/// The node registry and the writer identities, as `SQLiteServerStore` keeps them.
extension PostgresServerStore {
    public func addNode(name: String, canForward: Bool, id: NodeID?, hub: NodeID?) async throws -> (
        node: RegisteredNode, token: String
    ) {
        let (node, token) = try RegisteredNode.newcomer(
            name: name, canForward: canForward, id: id, hub: hub, at: wallClock())
        let trimmed = node.name
        let nodeID = node.id.rawValue
        try await transaction { connection in
            let taken = try await connection.one(
                """
                SELECT EXISTS (SELECT 1 FROM registered_node WHERE node_id = \(nodeID))
                    OR EXISTS (SELECT 1 FROM writer WHERE writer_id = \(nodeID))
                """, logger, as: Bool.self)
            if taken || node.id == serverID {
                throw ReplicaError(
                    .alreadyExists, "node \(node.id) is already registered; see `hearth-server node list`")
            }
            if let hub {
                let isHub = try await connection.rows(
                    "SELECT 1 FROM registered_node WHERE node_id = \(hub.rawValue) AND can_forward AND revoked_at IS NULL",
                    logger)
                guard !isHub.isEmpty else {
                    throw ReplicaError(
                        .refused,
                        "node \(hub) is not a registered hub; register the center with `hearth-server node add NAME "
                            + "--forward` first")
                }
            }
            let hash = ByteBuffer(bytes: token.secretHash)
            // Another server may register the same id at the same moment: the insert decides.
            let inserted = try await connection.rows(
                """
                INSERT INTO registered_node (node_id, name, token_id, token_hash, can_forward, created_at, hub_id)
                VALUES (\(nodeID), \(trimmed), \(token.tokenID), \(hash), \(canForward), \(node.createdAt), \(hub?.rawValue))
                ON CONFLICT DO NOTHING RETURNING node_id
                """, logger)
            guard !inserted.isEmpty else {
                throw ReplicaError(
                    .alreadyExists, "node \(node.id) is already registered; see `hearth-server node list`")
            }
            try await connection.run("INSERT INTO writer (writer_id, node_id) VALUES (\(nodeID), \(nodeID))", logger)
        }
        return (node, token.text)
    }

    public func nodes() async throws -> [RegisteredNode] {
        try await transaction { connection in
            try await connection.rows("\(unescaped: Self.nodeColumns) ORDER BY created_at, name", logger).map(
                Self.node(from:))
        }
    }

    public func revokeNode(_ id: NodeID) async throws {
        let now = wallClock()
        try await transaction { connection in
            _ = try await lockFeed(connection)
            let revoked = try await connection.rows(
                """
                UPDATE registered_node SET revoked_at = \(now) WHERE node_id = \(id.rawValue) AND revoked_at IS NULL
                RETURNING node_id
                """, logger)
            if revoked.isEmpty { throw try await unchanged(id, connection, because: "node \(id) is already revoked") }
            // A revoked node no longer holds collection back; what it wrote and pushed is settled.
            try await retireWriters(of: id, connection)
            _ = try await promote(connection)
        }
    }

    public func readmitNode(_ id: NodeID) async throws -> (node: RegisteredNode, token: String) {
        let token = NodeToken.generate()
        let hash = ByteBuffer(bytes: token.secretHash)
        let node = try await transaction { connection in
            let rows = try await connection.rows(
                """
                UPDATE registered_node SET revoked_at = NULL, resync = true, token_id = \(token.tokenID),
                    token_hash = \(hash)
                WHERE node_id = \(id.rawValue) AND revoked_at IS NOT NULL
                RETURNING \(unescaped: Self.nodeColumnList)
                """, logger)
            guard let row = rows.first else {
                throw try await unchanged(
                    id, connection, because: "node \(id) is not revoked; only a revoked node can be readmitted")
            }
            return try Self.node(from: row)
        }
        return (node, token.text)
    }

    /// Why an update of node `id` changed nothing: `reason` if the node exists, else "no such node".
    private func unchanged(_ id: NodeID, _ connection: PostgresConnection, because reason: String) async throws
        -> ReplicaError
    {
        let exists = try await connection.one(
            "SELECT EXISTS (SELECT 1 FROM registered_node WHERE node_id = \(id.rawValue))", logger, as: Bool.self)
        return exists
            ? ReplicaError(.refused, reason)
            : ReplicaError(.notFound, "no node with id \(id); see `hearth-server node list`")
    }

    public func standing(of node: NodeID) async throws -> NodeStanding {
        try await reachingDatabase {
            let rows = try await client.query(
                "SELECT last_pull_cursor, resync FROM registered_node WHERE node_id = \(node.rawValue)", logger: logger)
            for try await (cursor, resync) in rows.decode((Int64, Bool).self) {
                return NodeStanding(pulledThrough: cursor, mustResync: resync)
            }
            return NodeStanding(pulledThrough: 0, mustResync: false)
        }
    }

    public func clearResync(of node: NodeID) async throws {
        try await reachingDatabase {
            try await client.query(
                "UPDATE registered_node SET resync = false WHERE node_id = \(node.rawValue) AND resync", logger: logger)
        }
    }

    public func authenticate(token: String) async throws -> RegisteredNode? {
        try await reachingDatabase {
            guard let presented = NodeToken(parsing: token) else { return nil }
            let rows = try await client.query(
                "\(unescaped: Self.nodeColumns) WHERE token_id = \(presented.tokenID)", logger: logger)
            for try await row in rows {
                let node = try Self.node(from: row)
                let stored = try row.makeRandomAccess()[11].decode(ByteBuffer.self)
                guard NodeToken.constantTimeEqual(Array(buffer: stored), presented.secretHash) else { return nil }
                return node.isRevoked ? nil : node
            }
            return nil
        }
    }

    public func authors(for node: RegisteredNode) async throws -> Set<NodeID> {
        try await reachingDatabase {
            // The node's writer identities, and for a hub those of its own laptops.
            let rows = try await client.query(
                """
                SELECT writer_id FROM writer WHERE node_id = \(node.id.rawValue)
                    OR (\(node.canForward) AND node_id IN (SELECT node_id FROM registered_node WHERE hub_id = \(node.id.rawValue)))
                """, logger: logger)
            var writers: Set<NodeID> = [node.id]
            for try await writer in rows.decode(String.self) { writers.insert(NodeID(trusted: writer)) }
            return writers
        }
    }

    public func nodeNames(of ids: Set<NodeID>) async throws -> [NodeID: String] {
        guard !ids.isEmpty else { return [:] }
        let wanted = ids.map(\.rawValue)
        return try await reachingDatabase {
            // Writer identities (a re-installed laptop's) carry their node's name.
            let rows = try await client.query(
                """
                SELECT node_id, name FROM registered_node WHERE node_id = ANY(\(wanted)::text[])
                UNION ALL SELECT writer.writer_id, registered_node.name FROM writer
                JOIN registered_node ON registered_node.node_id = writer.node_id
                WHERE writer.writer_id = ANY(\(wanted)::text[])
                """, logger: logger)
            var names: [NodeID: String] = [:]
            for try await (id, name) in rows.decode((String, String).self) { names[NodeID(trusted: id)] = name }
            return names
        }
    }

    public func noteActivity(of node: NodeID, at time: Int64, pullCursor: Int64?, pushed: Int) async throws {
        try await reachingDatabase {
            try await client.query(
                """
                UPDATE registered_node SET last_seen_at = \(time),
                    last_pull_cursor = greatest(last_pull_cursor, coalesce(\(pullCursor), last_pull_cursor)),
                    pushed_changes = pushed_changes + \(pushed)
                WHERE node_id = \(node.rawValue)
                """, logger: logger)
        }
    }

    /// The database's epoch, renewed first if the database is no longer the one it was (a
    /// failover or a recovery to a point in time while this server ran; see `PostgresIdentity`).
    /// Every session asks, so a node never trusts a server that lost what it acknowledged.
    public func epoch() async throws -> String {
        try await transaction { connection in
            try await PostgresIdentity.check(connection, logger)
            return try await PostgresSchema.setting("epoch", connection, logger) ?? ""
        }
    }

    public func claimWriter(_ writer: NodeID, for node: NodeID) async throws -> Bool {
        try await transaction { connection in
            let owner = try await connection.rows(
                "SELECT node_id FROM writer WHERE writer_id = \(writer.rawValue)", logger
            ).first?.decode(String.self)
            if let owner { return owner == node.rawValue }
            let isAnotherNode = try await connection.one(
                "SELECT EXISTS (SELECT 1 FROM registered_node WHERE node_id = \(writer.rawValue))", logger,
                as: Bool.self)
            guard !isAnotherNode, writer != serverID else { return false }
            // A node takes a new writer identity when its replica lost writes or was readmitted:
            // its older identities will write nothing more (see `SQLiteServerStore.claimWriter`).
            let inserted = try await connection.rows(
                """
                INSERT INTO writer (writer_id, node_id) VALUES (\(writer.rawValue), \(node.rawValue))
                ON CONFLICT DO NOTHING RETURNING writer_id
                """, logger)
            if inserted.isEmpty {
                // Another server registered it a moment ago.
                let owner = try await connection.one(
                    "SELECT node_id FROM writer WHERE writer_id = \(writer.rawValue)", logger, as: String.self)
                return owner == node.rawValue
            }
            try await retireWriters(of: node, connection, except: writer)
            return true
        }
    }

    public func writerStatus(_ writer: NodeID) async throws -> WriterStatus {
        try await reachingDatabase {
            let rows = try await client.query(
                "SELECT highest_counter, lineage_counter, lineage_tag FROM writer WHERE writer_id = \(writer.rawValue)",
                logger: logger)
            for try await (highest, lineage, tag) in rows.decode((Int64, Int64, String).self) {
                return WriterStatus(highestCounter: UInt64(highest), lineageCounter: UInt64(lineage), lineageTag: tag)
            }
            return WriterStatus()
        }
    }

    public func notePush(_ note: PushNote) async throws {
        try await transaction { connection in
            // The node's row first, then its writers in id order: every transaction that locks
            // both takes them in this order, so two never wait on each other.
            try await connection.run(
                """
                UPDATE registered_node SET last_seen_at = \(note.time), pushed_changes = pushed_changes + \(note.merged)
                WHERE node_id = \(note.node.rawValue)
                """, logger)
            let raised = note.highestCounters.sorted { $0.key < $1.key }
            if !raised.isEmpty {
                let writers = raised.map(\.key.rawValue)
                let counters = raised.map { Int64(clamping: $0.value) }
                try await connection.run(
                    """
                    UPDATE writer SET highest_counter = greatest(highest_counter, raised.counter)
                    FROM unnest(\(writers)::text[], \(counters)::bigint[]) AS raised(writer_id, counter)
                    WHERE writer.writer_id = raised.writer_id
                    """, logger)
            }
            if let lineage = note.lineage {
                let counter = Int64(clamping: lineage.counter)
                try await connection.run(
                    """
                    UPDATE writer SET lineage_counter = \(counter), lineage_tag = \(lineage.tag)
                    WHERE writer_id = \(lineage.writer.rawValue) AND node_id = \(note.node.rawValue)
                        AND lineage_counter <= \(counter)
                    """, logger)
            }
        }
    }

    /// Settles every writer identity of `node` (but `except`) at its highest write.
    func retireWriters(of node: NodeID, _ connection: PostgresConnection, except: NodeID? = nil) async throws {
        try await connection.run(
            """
            UPDATE writer SET settled = greatest(settled, highest_counter)
            WHERE node_id = \(node.rawValue) AND writer_id IS DISTINCT FROM \(except?.rawValue)
            """, logger)
    }

    static let nodeColumnList = """
        node_id, name, can_forward, hub_id, created_at, last_seen_at, last_pull_cursor, pushed_changes, revoked_at, \
        resync, token_id, token_hash
        """
    static let nodeColumns = "SELECT \(nodeColumnList) FROM registered_node"

    static func node(from row: PostgresRow) throws -> RegisteredNode {
        let (id, name, canForward, hub, createdAt, lastSeenAt, cursor, pushed, revokedAt) = try row.decode(
            (String, String, Bool, String?, Int64, Int64?, Int64, Int64, Int64?).self)
        return RegisteredNode(
            id: NodeID(trusted: id), name: name, canForward: canForward, hubID: hub.map(NodeID.init(trusted:)),
            createdAt: createdAt, lastSeenAt: lastSeenAt, lastPullCursor: cursor, pushedChanges: pushed,
            revokedAt: revokedAt)
    }
}
