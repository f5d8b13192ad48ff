import Foundation
import GRDB
public import Replica
public import SyncCore

/// A center serving its laptops (`hearth serve`): the center's node replica is the store.
///
/// Laptops push to it and pull from it exactly as nodes do with the central office; their
/// writes become pending in the center's replica and travel on with its next upstream sync,
/// which first tells the upstream about the laptops (`laptopsForUpstream`), so that it accepts
/// them as the hub's. The stable vector laptops get is the one the center adopted upstream.
extension SQLiteServerStore {
    /// Serves `replica`, a node's own replica, to the laptops registered in it; turns on its
    /// feed the first time (`Replica.startServingDownstream`).
    public static func hub(_ replica: Replica, wallClock: @escaping @Sendable () -> Int64 = Replica.systemWallClock)
        throws -> SQLiteServerStore
    {
        guard replica.role == .node else {
            throw ReplicaError(.refused, "\(replica.path) is a server database; hearth-server serves it")
        }
        try replica.startServingDownstream()
        return try SQLiteServerStore(replica: replica, serving: .hub, wallClock: wallClock)
    }

    /// Whether a node replica has laptops registered (it is a hub), without changing the file.
    public static func hasLaptops(_ replica: Replica) throws -> Bool {
        try replica.read { reader in
            guard try reader.db.tableExists("registered_node") else { return false }
            return try Bool.fetchOne(reader.db, sql: "SELECT EXISTS (SELECT 1 FROM registered_node)") ?? false
        }
    }

    /// Every laptop registered here, as the upstream is told about it. Its `settled` is what the
    /// laptop reported settled here: the caller sends it on only once everything this hub held
    /// when the list was taken has reached the upstream (PROTOCOL.md §23.2).
    public func laptopsForUpstream() throws -> [HubLaptop] {
        try replica.read { reader -> [HubLaptop] in
            let db = reader.db
            var laptops: [HubLaptop] = []
            // A laptop that caught up from position P of this hub's feed holds what the upstream had
            // before the cursor of any checkpoint at or below P (`Replica.createCheckpointTable`).
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT node_id, name, token_id, token_hash, revoked_at,
                        (SELECT coalesce(max(upstream_cursor), 0) FROM upstream_checkpoint
                         WHERE feed_position <= registered_node.last_pull_cursor)
                    FROM registered_node
                    """
            ) {
                let id: String = row[0]
                let writerRows = try Row.fetchAll(
                    db, sql: "SELECT writer_id, settled FROM writer WHERE node_id = ? ORDER BY writer_id != node_id",
                    arguments: [id])
                let keys = try String.fetchAll(
                    db, sql: "SELECT public_key FROM node_key WHERE node_id = ? ORDER BY added_at", arguments: [id])
                var settled: [NodeID: UInt64] = [:]
                for writer in writerRows where (writer[1] as Int64) > 0 {
                    settled[NodeID(trusted: writer[0])] = UInt64(writer[1] as Int64)
                }
                laptops.append(
                    HubLaptop(
                        id: NodeID(trusted: id), name: row[1], tokenID: row[2], tokenHash: Array(row[3] as Data),
                        writers: writerRows.map { NodeID(trusted: $0[0]) }, signingKeys: keys,
                        revoked: (row[4] as Int64?) != nil, vouchedCursor: row[5], settled: settled))
            }
            return laptops
        }
    }

    /// The Ed25519 public keys (hex) a node registered for its change files.
    public func signingKeys(of node: NodeID) throws -> [String] {
        try replica.read { reader in
            try String.fetchAll(
                reader.db, sql: "SELECT public_key FROM node_key WHERE node_id = ?", arguments: [node.rawValue])
        }
    }

    /// Notes a public key a node presented for its change files (kept with every earlier one,
    /// so files it signed before a re-install still verify).
    public func noteSigningKey(_ key: String, for node: NodeID) throws {
        let known = try replica.read { reader in
            try Bool.fetchOne(
                reader.db, sql: "SELECT EXISTS (SELECT 1 FROM node_key WHERE node_id = ? AND public_key = ?)",
                arguments: [node.rawValue, key]) ?? false
        }
        guard !known else { return }
        try replica.write { transaction in
            try transaction.db.execute(
                sql: "INSERT OR IGNORE INTO node_key (node_id, public_key, added_at) VALUES (?, ?, ?)",
                arguments: [node.rawValue, key, wallClock()])
        }
    }
}
