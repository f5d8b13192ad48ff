import GRDB
import SyncCore
import Synchronization

/// Maps node ids to small local integers, so stored metadata names a node in a few bytes.
///
/// The indexes are local to one file and never leave it. The cache is guarded by a `Mutex`;
/// a write transaction that fails calls `invalidate()`, because an index it cached may have
/// been rolled back with it.
final class PeerDirectory: Sendable {
    private struct Cache {
        var byNode: [NodeID: Int64] = [:]
        var byIndex: [Int64: NodeID] = [:]
        var loaded = false
    }
    private let cache = Mutex(Cache())

    func invalidate() {
        cache.withLock { $0 = Cache() }
    }

    private func loadIfNeeded(_ db: Database) throws {
        if cache.withLock({ $0.loaded }) { return }
        var fresh = Cache()
        for row in try Row.fetchAll(db, sql: "SELECT idx, node_id FROM peer") {
            let node = NodeID(trusted: row[1])
            fresh.byNode[node] = row[0]
            fresh.byIndex[row[0]] = node
        }
        fresh.loaded = true
        cache.withLock { $0 = fresh }
    }

    /// The local index of `node`, adding it to the directory (inside the caller's transaction) if new.
    func index(of node: NodeID, _ db: Database) throws -> Int64 {
        // One lock for the usual case: the cache is loaded and knows the node.
        if let known = cache.withLock({ $0.loaded ? $0.byNode[node] : nil }) { return known }
        try loadIfNeeded(db)
        if let known = cache.withLock({ $0.byNode[node] }) { return known }
        try db.execute(sql: "INSERT OR IGNORE INTO peer (node_id) VALUES (?)", arguments: [node.rawValue])
        let index = try Int64.fetchOne(db, sql: "SELECT idx FROM peer WHERE node_id = ?", arguments: [node.rawValue])!
        cache.withLock {
            $0.byNode[node] = index
            $0.byIndex[index] = node
        }
        return index
    }

    /// The index of `node` if it is known, without adding it.
    func existingIndex(of node: NodeID, _ db: Database) throws -> Int64? {
        try loadIfNeeded(db)
        if let known = cache.withLock({ $0.byNode[node] }) { return known }
        return try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT idx FROM peer WHERE node_id = ?"), arguments: [node.rawValue])
    }

    func node(at index: Int64, _ db: Database) throws -> NodeID {
        try loadIfNeeded(db)
        if let node = cache.withLock({ $0.byIndex[index] }) { return node }
        // Another connection to the same file may have added peers since the cache was loaded.
        invalidate()
        try loadIfNeeded(db)
        if let node = cache.withLock({ $0.byIndex[index] }) { return node }
        throw ReplicaError(.storage, "the replica refers to an unknown node index \(index); run `hearth check`")
    }

    /// Stores display names of nodes (learned from the server), adding unknown nodes.
    func rememberNames(_ names: [NodeID: String], _ db: Database) throws {
        for (node, name) in names {
            _ = try index(of: node, db)
            try db.execute(
                sql: "UPDATE peer SET name = ? WHERE node_id = ? AND name IS NOT ?",
                arguments: [name, node.rawValue, name])
        }
    }

    func names(_ db: Database) throws -> [NodeID: String] {
        var result: [NodeID: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT node_id, name FROM peer WHERE name IS NOT NULL") {
            result[NodeID(trusted: row[0])] = row[1]
        }
        return result
    }
}
