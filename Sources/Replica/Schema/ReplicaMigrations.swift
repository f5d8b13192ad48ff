import GRDB
import SyncCore

/// The replica's schema, built by ordered migrations.
///
/// `PRAGMA user_version` carries `ReplicaMigrations.schemaVersion`, so an older Hearth can
/// tell, before it writes anything, that a file comes from a newer one and refuse to open it.
enum ReplicaMigrations {
    /// The schema version this build writes. Raise it with every new migration.
    static let schemaVersion = 5

    static func migrator(catalog: RecordCatalog) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-replica") { db in
            try db.execute(
                sql: """
                    CREATE TABLE replica_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
                    CREATE TABLE peer (idx INTEGER PRIMARY KEY, node_id TEXT NOT NULL UNIQUE, name TEXT);
                    CREATE TABLE change_log (
                        counter INTEGER PRIMARY KEY,
                        record_type TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        fields TEXT NOT NULL,
                        wall_time INTEGER NOT NULL);
                    CREATE TABLE feed (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        record_type TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        origin INTEGER,
                        UNIQUE (record_type, record_id));
                    CREATE TABLE open_conflict (
                        record_type TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        field TEXT NOT NULL,
                        PRIMARY KEY (record_type, record_id, field)) WITHOUT ROWID;
                    """)
            for type in catalog.types {
                for statement in RecordTableSQL(type).createStatements { try db.execute(sql: statement) }
            }
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        migrator.registerMigration("v2-pending-index-by-rowid") { db in
            for type in catalog.types where try db.tableExists(type.name) {
                let sql = RecordTableSQL(type)
                try db.execute(sql: "DROP INDEX IF EXISTS \(RecordTableSQL.quote(type.name + "_pending"))")
                try db.execute(sql: sql.pendingIndexStatement)
            }
            try db.execute(sql: "PRAGMA user_version = 2")
        }
        // A tombstone's field conflicts are no longer open work (`RecordState.openConflictFields`):
        // drop the index rows earlier builds kept for them. The file format is unchanged (the
        // index is derived from the records), so `user_version` stays and older builds still open it.
        migrator.registerMigration("v3-no-open-conflicts-on-tombstones") { db in
            for type in catalog.types where try db.tableExists(type.name) {
                try db.execute(
                    sql: """
                        DELETE FROM open_conflict WHERE record_type = ? AND record_id IN
                        (SELECT id FROM \(RecordTableSQL.quote(type.name)) WHERE _deleted = 1)
                        """, arguments: [type.name])
            }
        }
        migrator.registerMigration("v4-push-refusals") { db in
            // The changes the server refused at the last push, kept pending and shown by status.
            try db.execute(
                sql: """
                    CREATE TABLE push_refusal (
                        record_type TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        code TEXT NOT NULL,
                        message TEXT NOT NULL,
                        refused_at INTEGER NOT NULL,
                        PRIMARY KEY (record_type, record_id)) WITHOUT ROWID;
                    PRAGMA user_version = 3;
                    """)
        }
        migrator.registerMigration("v5-change-log-writer-and-tag") { db in
            // Which writer identity made each own write, and a random tag naming it (write identity).
            try db.execute(
                sql: """
                    ALTER TABLE change_log ADD COLUMN writer TEXT;
                    ALTER TABLE change_log ADD COLUMN tag TEXT;
                    PRAGMA user_version = 4;
                    """)
        }
        migrator.registerMigration("v6-collection") { db in
            // Records a re-synchronising replica received, to find those the server collected
            // while this copy was away (`ReplicaTransaction.finishResync`).
            try db.execute(
                sql: """
                    CREATE TABLE resync_seen (
                        record_type TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        PRIMARY KEY (record_type, record_id)) WITHOUT ROWID;
                    PRAGMA user_version = 5;
                    """)
        }
        return migrator
    }

    /// Creates tables and columns for declared types that the file does not have yet, so a
    /// new record type or field is a declaration, not hand-written schema code.
    static func addMissingTables(_ db: Database, catalog: RecordCatalog) throws {
        for type in catalog.types {
            let sql = RecordTableSQL(type)
            if try !db.tableExists(type.name) {
                for statement in sql.createStatements { try db.execute(sql: statement) }
                continue
            }
            let existing = Set(try db.columns(in: type.name).map(\.name))
            if !existing.contains("_extra") {
                // Fields this build does not declare, kept for newer nodes (see `RecordTableSQL`).
                try db.execute(sql: "ALTER TABLE \(sql.table) ADD COLUMN _extra TEXT")
            }
            for spec in type.fields where !existing.contains(spec.name) {
                let column = "\(RecordTableSQL.quote(spec.name)) \(spec.kind.storesInteger ? "INTEGER" : "TEXT")"
                try db.execute(sql: "ALTER TABLE \(sql.table) ADD COLUMN \(column)")
            }
            for field in type.indexedFields { try db.execute(sql: sql.indexStatement(field: field)) }
            try db.execute(sql: sql.tombstoneIndexStatement)
        }
    }
}
