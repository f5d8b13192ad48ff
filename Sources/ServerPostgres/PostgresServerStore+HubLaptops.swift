import Foundation
import PostgresNIO
import Replica
public import SyncCore
public import SyncServer

/// A hub's laptops and the nodes' signing keys, as `SQLiteServerStore+HubLaptops` keeps them.
extension PostgresServerStore {
    public func registerLaptops(_ laptops: [HubLaptop], of hub: RegisteredNode) async throws -> [NodeID: String] {
        let now = wallClock()
        return try await transaction { connection in
            // The feed lock first, as every transaction that may promote the stable vector takes it.
            let latest = try await lockFeed(connection)
            var refused: [NodeID: String] = [:]
            for laptop in laptops {
                try await connection.run("SAVEPOINT laptop", logger)
                do {
                    try await register(laptop, of: hub, latestFeedPosition: latest, at: now, connection)
                    try await connection.run("RELEASE SAVEPOINT laptop", logger)
                } catch let refusal as LaptopRefusal {
                    try await connection.run("ROLLBACK TO SAVEPOINT laptop", logger)
                    refused[laptop.id] = refusal.message
                }
            }
            _ = try await promote(connection)
            return refused
        }
    }

    /// Why one laptop of a hub's list was not registered.
    struct LaptopRefusal: Error {
        var message: String
    }

    private func register(
        _ laptop: HubLaptop, of hub: RegisteredNode, latestFeedPosition latest: Int64, at now: Int64,
        _ connection: PostgresConnection
    ) async throws {
        let id = laptop.id.rawValue
        let name = laptop.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw LaptopRefusal(message: "laptop \(laptop.id) has no name") }
        let tokenTaken = try await connection.one(
            "SELECT EXISTS (SELECT 1 FROM registered_node WHERE token_id = \(laptop.tokenID) AND node_id != \(id))",
            logger, as: Bool.self)
        if tokenTaken {
            throw LaptopRefusal(
                message: "laptop \(laptop.id)'s token id is another node's; register it again at the hub")
        }
        let hash = ByteBuffer(bytes: laptop.tokenHash)
        let existing = try await connection.rows(
            "SELECT hub_id FROM registered_node WHERE node_id = \(id) FOR UPDATE", logger)
        if let row = existing.first {
            guard try row.decode(String?.self) == hub.id.rawValue else {
                throw LaptopRefusal(
                    message: "node \(laptop.id) is registered here, but not as a laptop of this hub; a hub "
                        + "registers only its own laptops")
            }
            try await connection.run(
                """
                UPDATE registered_node SET name = \(name), token_id = \(laptop.tokenID), token_hash = \(hash)
                WHERE node_id = \(id)
                """, logger)
        } else {
            let isWriter = try await connection.one(
                "SELECT EXISTS (SELECT 1 FROM writer WHERE writer_id = \(id))", logger, as: Bool.self)
            if isWriter || laptop.id == serverID || laptop.id == hub.id {
                throw LaptopRefusal(message: "node \(laptop.id) is another node's identity here; it cannot be a laptop")
            }
            try await connection.run(
                """
                INSERT INTO registered_node (node_id, name, token_id, token_hash, can_forward, created_at, hub_id)
                VALUES (\(id), \(name), \(laptop.tokenID), \(hash), false, \(now), \(hub.id.rawValue))
                """, logger)
            try await connection.run("INSERT INTO writer (writer_id, node_id) VALUES (\(id), \(id))", logger)
        }
        for writer in laptop.writers where writer != laptop.id {
            let owner = try await connection.rows(
                "SELECT node_id FROM writer WHERE writer_id = \(writer.rawValue)", logger
            ).first?.decode(String.self)
            if let owner {
                guard owner == id else {
                    throw LaptopRefusal(message: "writer \(writer.short) of laptop \(laptop.id) is another node's")
                }
                continue
            }
            let isNode = try await connection.one(
                "SELECT EXISTS (SELECT 1 FROM registered_node WHERE node_id = \(writer.rawValue))", logger,
                as: Bool.self)
            if isNode || writer == serverID {
                throw LaptopRefusal(message: "writer \(writer.short) of laptop \(laptop.id) is another node's id")
            }
            try await connection.run(
                "INSERT INTO writer (writer_id, node_id) VALUES (\(writer.rawValue), \(id))", logger)
        }
        for key in laptop.signingKeys {
            try await connection.run(
                """
                INSERT INTO node_key (node_id, public_key, added_at) VALUES (\(id), \(key), \(now))
                ON CONFLICT DO NOTHING
                """, logger)
        }
        if laptop.revoked {
            let revoked = try await connection.rows(
                """
                UPDATE registered_node SET revoked_at = \(now) WHERE node_id = \(id) AND revoked_at IS NULL
                RETURNING node_id
                """, logger)
            if !revoked.isEmpty { try await retireWriters(of: laptop.id, connection) }
        }
        // Never past this feed's end: a position it has not given yet vouches for nothing.
        try await connection.run(
            """
            UPDATE registered_node SET vouched_cursor = greatest(vouched_cursor, \(min(laptop.vouchedCursor, latest)))
            WHERE node_id = \(id)
            """, logger)
        for (writer, counter) in laptop.settled.sorted(by: { $0.key < $1.key }) {
            try await connection.run(
                """
                UPDATE writer SET settled = greatest(settled, least(\(Int64(clamping: counter)), highest_counter))
                WHERE writer_id = \(writer.rawValue) AND node_id = \(id)
                """, logger)
        }
    }

    public func noteSigningKey(_ key: String, for node: NodeID) async throws {
        let now = wallClock()
        try await transaction { connection in
            try await connection.run(
                """
                INSERT INTO node_key (node_id, public_key, added_at) VALUES (\(node.rawValue), \(key), \(now))
                ON CONFLICT DO NOTHING
                """, logger)
        }
    }
}
