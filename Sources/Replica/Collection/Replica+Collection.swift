import GRDB
public import SyncCore

/// Forgetting deleted records once every node has seen the delete (`TombstoneCollection`).
///
/// The server computes the stable vector and collects; every node adopts the vector the server
/// sends and collects the same tombstones by the same rule, so digests stay equal. A record is
/// removed whole: its row, its feed entry, its open conflicts and its digest contribution.
extension Replica {
    /// The settings key of the stable vector this replica last adopted.
    static let stableVectorKey = "stable_vector"
    /// Set while a full pull must end by sweeping out records the server no longer holds.
    static let resyncKey = "resync"

    /// The stable vector this replica last adopted (empty: nothing is stable yet).
    public func stableVector() throws(ReplicaError) -> VersionVector {
        try read { reader in try reader.stableVector() }
    }

    /// Adopts `stable` if it is newer than the one held and collects every tombstone it covers,
    /// in one transaction; returns how many records were removed.
    @discardableResult
    public func adoptStableVector(_ stable: VersionVector) throws(ReplicaError) -> Int {
        try write { transaction in try transaction.adoptStableVector(stable) }
    }

    /// How many tombstones this replica holds (deleted records not yet collected).
    public func tombstoneCount() throws(ReplicaError) -> Int {
        try read { reader in try reader.recordCount(where: "_deleted = 1") }
    }

    /// Whether this replica must end its next complete pull with a sweep (see `beginResync`).
    public func isResyncing() throws(ReplicaError) -> Bool {
        try read { reader in try reader.setting(Self.resyncKey) == "1" }
    }

    /// Copies the write-ahead log into the database file and empties it, if no other process
    /// reads at this moment (it never waits): after a collection, the erased values' old page
    /// images then leave the log file too. Best effort; false when a reader kept the log.
    @discardableResult
    public func compactLog() -> Bool {
        do {
            return try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA busy_timeout = 0")
                defer { try? db.execute(sql: "PRAGMA busy_timeout = \(Int(ReplicaFile.busyTimeout * 1000))") }
                let result = try db.checkpoint(.truncate)
                return result.walFrameCount == result.checkpointedFrameCount
            }
        } catch {
            return false
        }
    }
}

extension ReplicaReader {
    public func stableVector() throws -> VersionVector {
        StableVectorText.decode(try setting(Replica.stableVectorKey) ?? "") ?? .empty
    }
}

extension ReplicaTransaction {
    /// See `Replica.adoptStableVector`. A vector that is not newer changes nothing: the stable
    /// vector only grows, and a replica never forgets more than the server has.
    @discardableResult
    public func adoptStableVector(_ stable: VersionVector) throws -> Int {
        let held = try reader.stableVector()
        let next = held.merged(with: stable)
        guard next != held else { return 0 }
        try setSetting(Replica.stableVectorKey, StableVectorText.encode(next))
        return try collectTombstones(stable: next)
    }

    /// Removes every tombstone whose history `stable` covers; returns how many.
    func collectTombstones(stable: VersionVector) throws -> Int {
        try forgetRecords(where: "_deleted = 1") { TombstoneCollection.isCollectable($0, stable: stable) }
    }

    /// Removes, among the records of every table that meet the SQL `condition` (`?` is the type's
    /// name), those `shouldForget` accepts; returns how many.
    private func forgetRecords(where condition: String, _ shouldForget: (RecordState) -> Bool) throws -> Int {
        var forgotten = 0
        for store in try replica.allStores(db) {
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM \(store.sql.table) WHERE \(condition)",
                arguments: condition.contains("?") ? [store.type.name] : [])
            for id in ids {
                guard let stored = try store.load(id: id, db), shouldForget(stored.state) else { continue }
                try forget(stored, in: store)
                forgotten += 1
            }
        }
        return forgotten
    }

    /// Marks the start of a re-synchronisation: the next pull starts from 0, brings this node's
    /// own states too, and ends by removing what the server no longer holds (`finishResync`).
    /// For a replica that may have missed collections: restored from an old copy, or readmitted
    /// after its node was revoked.
    func beginResync() throws {
        try db.execute(sql: "DELETE FROM resync_seen")
        try setSetting(Replica.resyncKey, "1")
        try setSetting(Replica.pullOwnKey, "1")
        try setSetting("pull_cursor", "0")
    }

    /// Notes, during a re-synchronisation, that the server still holds this record.
    func noteResyncSeen(_ state: RecordState) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO resync_seen (record_type, record_id) VALUES (?, ?)")
        try statement.execute(arguments: [state.type, state.id])
    }

    /// Ends a re-synchronisation after a complete pull: a record the server did not send, that is
    /// not waiting to go up and whose whole history is stable, was collected while this copy was
    /// away, so it is removed. Returns how many.
    func finishResync(stable: VersionVector) throws -> Int {
        var removed = 0
        if !stable.isEmpty {
            removed = try forgetRecords(
                where: "_pending = 0 AND id NOT IN (SELECT record_id FROM resync_seen WHERE record_type = ?)"
            ) { TombstoneCollection.isZombie($0, stable: stable) }
        }
        try db.execute(sql: "DELETE FROM resync_seen")
        try setSetting(Replica.resyncKey, nil)
        try setSetting(Replica.readmissionWriterKey, nil)
        return removed
    }

    /// Re-applies the server's collection rule to a pushed state it reported as collected
    /// (`TombstoneCollection.strippingStable`): the local copy becomes what the server stored,
    /// acknowledged, or goes if nothing is left. Only if the record did not change meanwhile.
    func settleCollected(_ state: RecordState, stateTag: String, stable: VersionVector) throws {
        let store = try replica.store(for: state.type)
        let current = try String.fetchOne(
            db, sql: "SELECT _meta FROM \(store.sql.table) WHERE id = ?", arguments: [state.id])
        guard current == stateTag, let stored = try store.load(id: state.id, db) else { return }
        if let kept = TombstoneCollection.strippingStable(stored.state, stable: stable) {
            try replaceState(kept, pending: false)
        } else {
            try forget(stored, in: store)
        }
    }
}

extension Replica {
    /// What this node reports settled with its pulls: its writer identity and the number up to
    /// which the server has acknowledged all its writes (the last push that left nothing pending).
    public func settledWrites() throws(ReplicaError) -> SettledWrites {
        try read { reader in
            SettledWrites(
                writer: try reader.setting(Self.writerKey).flatMap(NodeID.init) ?? nodeID,
                counter: UInt64(try reader.setting("pushed_counter") ?? "0") ?? 0)
        }
    }
}
