import HearthProtocol
import PostgresNIO
public import Replica
public import SyncCore
public import SyncServer

/// Records, the feed, the digest and collection: loaded and saved here, decided above
/// (`PushedPageMerge`, `WriterStability`, `TombstoneCollection`).
extension PostgresServerStore {
    public func applyPush(
        _ states: [RecordState], from node: RegisteredNode,
        authorize: @escaping @Sendable (_ change: PushedChange) -> String?
    ) async throws -> PushApplyReport {
        try await transaction { connection in
            let latest = try await lockFeed(connection)
            let held = try await load(states.map { RecordKey(type: $0.type, id: $0.id) }, connection)
            let merge = PushedPageMerge(
                states, held: held.mapValues(\.state), stable: try await stableVector(connection), catalog: catalog,
                authorize: authorize)
            try await save(merge.writes, held: held, from: node.id, after: latest, connection)
            return merge.report
        }
    }

    /// The stored states (and digest contributions) of those of `keys` that exist.
    private func load(_ keys: [RecordKey], _ connection: PostgresConnection) async throws
        -> [RecordKey: (state: RecordState, hash: [UInt8])]
    {
        guard !keys.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT record.record_type, record.record_id, record.state, record.hash
            FROM record JOIN unnest(\(keys.map(\.type))::text[], \(keys.map(\.id))::text[]) AS wanted(t, i)
                ON record.record_type = wanted.t AND record.record_id = wanted.i
            """, logger: logger)
        var held: [RecordKey: (state: RecordState, hash: [UInt8])] = [:]
        for try await (type, id, state, hash) in rows.decode((String, String, ByteBuffer, ByteBuffer).self) {
            held[RecordKey(type: type, id: id)] = (try Self.decodeState(state), Array(buffer: hash))
        }
        return held
    }

    /// Saves merged states at the feed's end, in order, and updates the digest by their hashes.
    private func save(
        _ writes: [PushedPageMerge.Write], held: [RecordKey: (state: RecordState, hash: [UInt8])],
        from node: NodeID, after latest: Int64, _ connection: PostgresConnection
    ) async throws {
        guard !writes.isEmpty else { return }
        var digest = try await digest(connection)
        var types: [String] = [], ids: [String] = [], states: [ByteBuffer] = [], hashes: [ByteBuffer] = []
        var deleted: [Bool] = [], conflicts: [String] = [], origins: [String] = []
        for write in writes {
            let hash = RecordDigest.hash(write.state)
            if let previous = held[RecordKey(type: write.state.type, id: write.state.id)] {
                digest.toggle(previous.hash)
            }
            digest.toggle(hash)
            types.append(write.state.type)
            ids.append(write.state.id)
            states.append(ByteBuffer(bytes: WireCodec.encodeState(write.state)))
            hashes.append(ByteBuffer(bytes: hash))
            deleted.append(write.state.isDeleted)
            conflicts.append(write.state.openConflictFields.joined(separator: ","))
            // Empty: not the sender's own state (see `PushedPageMerge.Write.isSendersOwn`).
            origins.append(write.isSendersOwn ? node.rawValue : "")
        }
        try await connection.run(
            """
            INSERT INTO record (record_type, record_id, state, hash, deleted, open_conflicts, feed_seq, feed_origin)
            SELECT t, i, s, h, d, c, \(latest) + n, nullif(o, '')
            FROM unnest(\(types)::text[], \(ids)::text[], \(states)::bytea[], \(hashes)::bytea[], \(deleted)::boolean[],
                \(conflicts)::text[], \(origins)::text[]) WITH ORDINALITY AS saved(t, i, s, h, d, c, o, n)
            ON CONFLICT (record_type, record_id) DO UPDATE SET state = excluded.state, hash = excluded.hash,
                deleted = excluded.deleted, open_conflicts = excluded.open_conflicts, feed_seq = excluded.feed_seq,
                feed_origin = excluded.feed_origin
            """, logger)
        try await connection.run("UPDATE feed_head SET position = \(latest + Int64(writes.count))", logger)
        try await PostgresSchema.setSetting("digest", digest.hex, connection, logger)
    }

    public func feedPage(after cursor: Int64, for node: RegisteredNode?, limit: Int) async throws -> FeedPage {
        try await transaction(readOnlySnapshot: true) { connection in
            // No node leaves nothing out: `IS DISTINCT FROM NULL` alone would leave out every
            // state that is no node's own (a merge), which a re-synchronising node must get.
            let origin = node?.id.rawValue
            let rows = try await connection.query(
                """
                SELECT feed_seq, state FROM record
                WHERE feed_seq > \(cursor) AND (\(origin)::text IS NULL OR feed_origin IS DISTINCT FROM \(origin))
                ORDER BY feed_seq LIMIT \(limit)
                """, logger: logger)
            var states: [RecordState] = []
            var last = cursor
            for try await (seq, state) in rows.decode((Int64, ByteBuffer).self) {
                states.append(try Self.decodeState(state))
                last = seq
            }
            let hasMore = states.count == limit
            // The highest position ever given, read in the same snapshot as the page: a later
            // transaction's positions are all above it (see `lockFeed`).
            let latest = try await connection.one("SELECT position FROM feed_head", logger, as: Int64.self)
            return FeedPage(
                states: states, nextCursor: hasMore ? last : max(cursor, latest), hasMore: hasMore,
                digest: try await digest(connection), latest: latest, stable: try await stableVector(connection))
        }
    }

    public func feedPosition() async throws -> Int64 {
        try await reachingDatabase {
            let rows = try await client.query("SELECT position FROM feed_head", logger: logger)
            for try await position in rows.decode(Int64.self) { return position }
            return 0
        }
    }

    public func noteCaughtUp(_ node: NodeID, at time: Int64, pulledFrom cursor: Int64, settled: SettledWrites?)
        async throws -> Int
    {
        try await transaction { connection in
            _ = try await lockFeed(connection)
            try await connection.run(
                """
                UPDATE registered_node SET last_seen_at = \(time), last_pull_cursor = greatest(last_pull_cursor, \(cursor))
                WHERE node_id = \(node.rawValue)
                """, logger)
            if let settled {
                // Never past the highest write of it merged here (see `SQLiteServerStore.noteCaughtUp`).
                try await connection.run(
                    """
                    UPDATE writer SET settled = greatest(settled, least(\(Int64(clamping: settled.counter)), highest_counter))
                    WHERE writer_id = \(settled.writer.rawValue) AND node_id = \(node.rawValue)
                    """, logger)
            }
            return try await promote(connection)
        }
    }

    /// Advances every writer identity by `WriterStability.promoted` and, when the stable vector
    /// grew, collects the tombstones it covers; returns how many. Runs under `lockFeed`.
    func promote(_ connection: PostgresConnection) async throws -> Int {
        let latest = try await connection.one("SELECT position FROM feed_head", logger, as: Int64.self)
        let slowest =
            try await connection.one(
                """
                SELECT min(greatest(last_pull_cursor, vouched_cursor)) FROM registered_node WHERE revoked_at IS NULL
                """, logger, as: Int64?.self)
            ?? latest
        var writers = try await writers(connection)
        var grew = false
        for (index, writer) in writers.enumerated() where writer.settled > writer.stable {
            let next = writer.promoted(slowest: slowest, latest: latest)
            guard next != writer else { continue }
            grew = grew || next.stable != writer.stable
            writers[index] = next
            try await connection.run(
                """
                UPDATE writer SET candidate = \(next.candidate), candidate_seq = \(next.candidateSeq), stable = \(next.stable)
                WHERE writer_id = \(writer.writer.rawValue)
                """, logger)
        }
        guard grew else { return 0 }
        return try await collectTombstones(stable: VersionVector(stableOf: writers), connection)
    }

    /// Removes every tombstone whose history `stable` covers (`TombstoneCollection.isCollectable`).
    private func collectTombstones(stable: VersionVector, _ connection: PostgresConnection) async throws -> Int {
        // The digest first: a query sent while this one's rows are still unread waits for them,
        // and they wait to be read (past 256 rows, the stream stops taking them in), so the
        // transaction would sit idle for ever. Every query's rows are read before the next is sent.
        var digest = try await digest(connection)
        let rows = try await connection.query(
            "SELECT record_type, record_id, state, hash FROM record WHERE deleted", logger: logger)
        var types: [String] = [], ids: [String] = []
        for try await (type, id, state, hash) in rows.decode((String, String, ByteBuffer, ByteBuffer).self) {
            guard TombstoneCollection.isCollectable(try Self.decodeState(state), stable: stable) else { continue }
            types.append(type)
            ids.append(id)
            digest.toggle(Array(buffer: hash))
        }
        guard !types.isEmpty else { return 0 }
        try await connection.run(
            """
            DELETE FROM record USING unnest(\(types)::text[], \(ids)::text[]) AS gone(t, i)
            WHERE record.record_type = gone.t AND record.record_id = gone.i
            """, logger)
        try await PostgresSchema.setSetting("digest", digest.hex, connection, logger)
        return types.count
    }

    private func writers(_ connection: PostgresConnection) async throws -> [WriterStability] {
        // In id order: the updates that follow lock writer rows in the order `notePush` does.
        let rows = try await connection.query(
            "SELECT writer_id, settled, candidate, candidate_seq, stable FROM writer ORDER BY writer_id",
            logger: logger)
        var writers: [WriterStability] = []
        for try await (id, settled, candidate, seq, stable) in rows.decode((String, Int64, Int64, Int64, Int64).self) {
            writers.append(
                WriterStability(
                    writer: NodeID(trusted: id), settled: settled, candidate: candidate, candidateSeq: seq,
                    stable: stable))
        }
        return writers
    }

    private func stableVector(_ connection: PostgresConnection) async throws -> VersionVector {
        VersionVector(stableOf: try await writers(connection))
    }

    private func digest(_ connection: PostgresConnection) async throws -> ReplicaDigest {
        ReplicaDigest(hex: try await PostgresSchema.setting("digest", connection, logger) ?? "") ?? ReplicaDigest()
    }

    private static func decodeState(_ bytes: ByteBuffer) throws -> RecordState {
        do {
            return try WireCodec.decodeState(bytes)
        } catch {
            throw PostgresStoreError("a stored record state cannot be read (\(error)); the database is damaged")
        }
    }
}
