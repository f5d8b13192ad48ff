import Foundation
import GRDB
import Replica
public import SyncCore

/// The upstream's side of `POST /v1/hub/laptops`: registers a hub's laptops as the hub's.
extension SQLiteServerStore {
    /// Registers or updates each laptop of `hub`, each in a savepoint of one transaction: a
    /// laptop that would take over another node's identity or writer is refused (with the
    /// reason, keyed by its id) and the others go on. Returns the refusals.
    ///
    /// The replica learns the names of the laptops registered, as `addNode` tells it a node's,
    /// so that its conflict reports name them.
    public func registerLaptops(_ laptops: [HubLaptop], of hub: RegisteredNode) throws -> [NodeID: String] {
        let now = wallClock()
        let collected = try replica.write { transaction -> (refused: [NodeID: String], collected: Int) in
            let db = transaction.db
            var refused: [NodeID: String] = [:]
            let latest = try Replica.latestFeedPosition(db)
            for laptop in laptops {
                do {
                    try db.inSavepoint {
                        try Self.register(laptop, of: hub, latestFeedPosition: latest, at: now, db, replica: replica)
                        return .commit
                    }
                } catch let refusal as LaptopRefusal {
                    refused[laptop.id] = refusal.message
                }
            }
            return (refused, serving == .central ? try Self.promote(transaction) : 0)
        }
        if collected.collected > 0 { replica.compactLog() }
        var names: [NodeID: String] = [:]
        for laptop in laptops where collected.refused[laptop.id] == nil {
            names[laptop.id] = laptop.name.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if !names.isEmpty { try replica.rememberNodeNames(names) }
        return collected.refused
    }

    /// Why one laptop of a hub's list was not registered.
    struct LaptopRefusal: Error {
        var message: String
    }

    private static func register(
        _ laptop: HubLaptop, of hub: RegisteredNode, latestFeedPosition latest: Int64, at now: Int64, _ db: Database,
        replica: Replica
    ) throws {
        let id = laptop.id.rawValue
        let name = laptop.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw LaptopRefusal(message: "laptop \(laptop.id) has no name") }
        let existing = try Row.fetchOne(
            db, sql: "SELECT hub_id FROM registered_node WHERE node_id = ?", arguments: [id])
        let tokenTaken =
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM registered_node WHERE token_id = ? AND node_id != ?)",
                arguments: [laptop.tokenID, id]) ?? false
        if tokenTaken {
            throw LaptopRefusal(
                message: "laptop \(laptop.id)'s token id is another node's; register it again at the hub")
        }
        if let existing {
            guard (existing[0] as String?) == hub.id.rawValue else {
                throw LaptopRefusal(
                    message: "node \(laptop.id) is registered here, but not as a laptop of this hub; a hub "
                        + "registers only its own laptops")
            }
            try db.execute(
                sql: "UPDATE registered_node SET name = ?, token_id = ?, token_hash = ? WHERE node_id = ?",
                arguments: [name, laptop.tokenID, Data(laptop.tokenHash), id])
        } else {
            let isWriter =
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM writer WHERE writer_id = ?)", arguments: [id])
                ?? false
            if isWriter || laptop.id == replica.nodeID || laptop.id == hub.id {
                throw LaptopRefusal(message: "node \(laptop.id) is another node's identity here; it cannot be a laptop")
            }
            try db.execute(
                sql: """
                    INSERT INTO registered_node (node_id, name, token_id, token_hash, can_forward, created_at, hub_id)
                    VALUES (?, ?, ?, ?, 0, ?, ?)
                    """,
                arguments: [id, name, laptop.tokenID, Data(laptop.tokenHash), now, hub.id.rawValue])
            try db.execute(sql: "INSERT INTO writer (writer_id, node_id) VALUES (?, ?)", arguments: [id, id])
        }
        for writer in laptop.writers where writer != laptop.id {
            let owner = try String.fetchOne(
                db, sql: "SELECT node_id FROM writer WHERE writer_id = ?", arguments: [writer.rawValue])
            if let owner {
                guard owner == id else {
                    throw LaptopRefusal(message: "writer \(writer.short) of laptop \(laptop.id) is another node's")
                }
                continue
            }
            let isNode =
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM registered_node WHERE node_id = ?)",
                    arguments: [writer.rawValue]) ?? false
            if isNode || writer == replica.nodeID {
                throw LaptopRefusal(message: "writer \(writer.short) of laptop \(laptop.id) is another node's id")
            }
            try db.execute(
                sql: "INSERT INTO writer (writer_id, node_id) VALUES (?, ?)", arguments: [writer.rawValue, id])
        }
        for key in laptop.signingKeys {
            try db.execute(
                sql: "INSERT OR IGNORE INTO node_key (node_id, public_key, added_at) VALUES (?, ?, ?)",
                arguments: [id, key, now])
        }
        if laptop.revoked {
            try db.execute(
                sql: "UPDATE registered_node SET revoked_at = ? WHERE node_id = ? AND revoked_at IS NULL",
                arguments: [now, id])
            if db.changesCount > 0 { try retireWriters(of: laptop.id, db) }
        }
        // Never past this feed's end: a position it has not given yet vouches for nothing.
        try db.execute(
            sql: "UPDATE registered_node SET vouched_cursor = max(vouched_cursor, ?) WHERE node_id = ?",
            arguments: [min(laptop.vouchedCursor, latest), id])
        let settle = try db.cachedStatement(
            sql: """
                UPDATE writer SET settled = max(settled, min(?, highest_counter))
                WHERE writer_id = ? AND node_id = ?
                """)
        for (writer, counter) in laptop.settled {
            try settle.execute(arguments: [Int64(clamping: counter), writer.rawValue, id])
        }
    }
}
