import Logging
import PostgresNIO
import SyncCore

/// Hearth's tables in PostgreSQL and their upgrades, applied by the server at start.
///
/// `hearth_schema` holds the schema version; each migration moves it up by one in the same
/// transaction as its changes, under an advisory lock, so servers starting together migrate
/// once. A database whose version is higher than this build knows was written by a newer
/// Hearth: it is refused, never touched.
enum PostgresSchema {
    /// The schema version this build writes.
    static let current = 2

    /// The migrations, in order: `migrations[n]` takes the schema from version n to n + 1.
    static let migrations: [[PostgresQuery]] = [
        [
            "CREATE TABLE hearth_schema (version integer NOT NULL)",
            "INSERT INTO hearth_schema (version) VALUES (0)",
            "CREATE TABLE hearth_setting (key text PRIMARY KEY, value text NOT NULL)",
            // The feed's sequencer and the write lock (see `PostgresServerStore.lockFeed`).
            """
            CREATE TABLE feed_head (
                single boolean PRIMARY KEY DEFAULT true CHECK (single), position bigint NOT NULL)
            """,
            "INSERT INTO feed_head (position) VALUES (0)",
            // One row per record: its whole state (the wire JSON of a change), its digest
            // contribution, and its one feed entry (moved to the end whenever it changes).
            """
            CREATE TABLE record (
                record_type text NOT NULL,
                record_id text NOT NULL,
                state bytea NOT NULL,
                hash bytea NOT NULL,
                deleted boolean NOT NULL,
                open_conflicts text NOT NULL,
                feed_seq bigint NOT NULL,
                feed_origin text,
                PRIMARY KEY (record_type, record_id))
            """,
            "CREATE UNIQUE INDEX record_feed ON record (feed_seq)",
            "CREATE INDEX record_tombstone ON record (feed_seq) WHERE deleted",
            """
            CREATE TABLE registered_node (
                node_id text PRIMARY KEY,
                name text NOT NULL,
                token_id text NOT NULL UNIQUE,
                token_hash bytea NOT NULL,
                can_forward boolean NOT NULL DEFAULT false,
                hub_id text,
                created_at bigint NOT NULL,
                last_seen_at bigint,
                last_pull_cursor bigint NOT NULL DEFAULT 0,
                pushed_changes bigint NOT NULL DEFAULT 0,
                revoked_at bigint,
                resync boolean NOT NULL DEFAULT false)
            """,
            """
            CREATE TABLE writer (
                writer_id text PRIMARY KEY,
                node_id text NOT NULL,
                highest_counter bigint NOT NULL DEFAULT 0,
                lineage_counter bigint NOT NULL DEFAULT 0,
                lineage_tag text NOT NULL DEFAULT '',
                settled bigint NOT NULL DEFAULT 0,
                candidate bigint NOT NULL DEFAULT 0,
                candidate_seq bigint NOT NULL DEFAULT 0,
                stable bigint NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX writer_node ON writer (node_id)",
        ],
        // Field work (issue 12): hubs vouch for their laptops' pulls, and nodes sign change files.
        [
            "ALTER TABLE registered_node ADD COLUMN vouched_cursor bigint NOT NULL DEFAULT 0",
            """
            CREATE TABLE node_key (
                node_id text NOT NULL,
                public_key text NOT NULL,
                added_at bigint NOT NULL,
                PRIMARY KEY (node_id, public_key))
            """,
        ],
    ]

    /// Any key, the same in every Hearth server: the lock servers take to migrate one at a time.
    static let migrationLock: Int64 = 0x4845_4152_5448

    /// Creates or upgrades the schema and checks the database's identity; returns the server id.
    static func prepare(_ connection: PostgresConnection, logger: Logger) async throws -> NodeID {
        try await connection.run("BEGIN", logger)
        do {
            let serverID = try await migrate(connection, logger)
            try await connection.run("COMMIT", logger)
            return serverID
        } catch {
            _ = try? await connection.run("ROLLBACK", logger)
            throw error
        }
    }

    private static func migrate(_ connection: PostgresConnection, _ logger: Logger) async throws -> NodeID {
        try await connection.run("SELECT pg_advisory_xact_lock(\(migrationLock))", logger)
        let exists = try await connection.one("SELECT to_regclass('hearth_schema') IS NOT NULL", logger, as: Bool.self)
        var version = exists ? try await connection.one("SELECT version FROM hearth_schema", logger, as: Int.self) : 0
        guard version <= current else {
            throw PostgresStoreError(
                "this database was written by a newer Hearth (schema \(version); this hearth-server knows up to "
                    + "\(current)); run the newer hearth-server, or upgrade this one")
        }
        if !exists {
            let hearthLike = try await connection.one(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename IN ('record', 'writer', 'registered_node')",
                logger, as: Int64.self)
            guard hearthLike == 0 else {
                throw PostgresStoreError(
                    "this database already has tables named like Hearth's but no hearth_schema; give hearth-server "
                        + "an empty database of its own")
            }
        }
        while version < current {
            for statement in migrations[version] { try await connection.run(statement, logger) }
            version += 1
            try await connection.run("UPDATE hearth_schema SET version = \(version)", logger)
        }
        let serverID =
            try await setting("server_id", connection, logger)
            ?? {
                let id = NodeID.random()
                return id.rawValue
            }()
        try await setSetting("server_id", serverID, connection, logger)
        try await PostgresIdentity.check(connection, logger)
        return NodeID(trusted: serverID)
    }

    static func setting(_ key: String, _ connection: PostgresConnection, _ logger: Logger) async throws -> String? {
        try await connection.rows("SELECT value FROM hearth_setting WHERE key = \(key)", logger).first?.decode(
            String.self)
    }

    static func setSetting(_ key: String, _ value: String, _ connection: PostgresConnection, _ logger: Logger)
        async throws
    {
        try await connection.run(
            """
            INSERT INTO hearth_setting (key, value) VALUES (\(key), \(value))
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, logger)
    }
}

/// Tells a restored or copied database from the one that went on, as a SQLite backup does with
/// its new epoch (PROTOCOL.md §16.1): nodes of a server that lost writes must re-send them.
///
/// The database's identity is its cluster's system identifier, its own oid and the cluster's
/// timeline. `pg_dump` restored anywhere gets a new oid; a base backup recovered to a point in
/// time, or a standby promoted after a failover, gets a new timeline. When the identity
/// changed, the epoch is renewed. Crash recovery keeps the identity: it loses nothing committed.
enum PostgresIdentity {
    /// Renews the epoch if the identity changed; servers that notice together renew it once.
    static func check(_ connection: PostgresConnection, _ logger: Logger) async throws {
        let identity = try await current(connection, logger)
        let known = try await PostgresSchema.setting("identity", connection, logger)
        let epoch = try await PostgresSchema.setting("epoch", connection, logger)
        guard known != identity || epoch == nil else { return }
        try await connection.run("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger)
        // Another server may have renewed it while this one waited for the lock.
        let knownNow = try await PostgresSchema.setting("identity", connection, logger)
        let epochNow = try await PostgresSchema.setting("epoch", connection, logger)
        if knownNow != identity || epochNow == nil {
            if known != nil {
                logger.notice(
                    "the database was restored or copied: it gets a new epoch, and its nodes re-send what it lacks")
            }
            try await PostgresSchema.setSetting("epoch", UUIDText.random(), connection, logger)
            try await PostgresSchema.setSetting("identity", identity, connection, logger)
        }
    }

    private static func current(_ connection: PostgresConnection, _ logger: Logger) async throws -> String {
        let database = try await connection.one(
            "SELECT oid::text FROM pg_database WHERE datname = current_database()", logger, as: String.self)
        // The control functions need pg_monitor or a superuser; without them the oid is the identity.
        try await connection.run("SAVEPOINT identity", logger)
        do {
            let cluster = try await connection.one(
                """
                SELECT (SELECT system_identifier FROM pg_control_system())::text || '/'
                    || (SELECT timeline_id FROM pg_control_checkpoint())::text
                """, logger, as: String.self)
            try await connection.run("RELEASE SAVEPOINT identity", logger)
            return "\(cluster)/\(database)"
        } catch {
            try await connection.run("ROLLBACK TO SAVEPOINT identity", logger)
            return database
        }
    }
}
