import GRDB

/// Small key–value settings of a replica: identity, counter, digest, sync cursor and remote.
enum ReplicaMeta {
    static func get(_ key: String, _ db: Database) throws -> String? {
        // Cached: every transaction reads settings, and preparing a statement costs more than running it.
        try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM replica_meta WHERE key = ?"), arguments: [key])
    }

    static func set(_ key: String, _ value: String?, _ db: Database) throws {
        if let value {
            let statement = try db.cachedStatement(
                sql:
                    "INSERT INTO replica_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
            )
            try statement.execute(arguments: [key, value])
        } else {
            try db.execute(sql: "DELETE FROM replica_meta WHERE key = ?", arguments: [key])
        }
    }
}
