import Foundation
import GRDB
public import SyncCore
import Synchronization

/// A node's local SQLite replica of the union's records.
///
/// Every write goes through `write { tx in … }`: inside one SQLite transaction it stamps the
/// record with the node's next dot, updates its version vector and field dots, appends to the
/// change log and updates the digest. If anything throws, the transaction rolls back and the
/// replica is exactly as it was. The connection never leaves this object: callers reach the
/// database only inside `read` and `write` closures (GRDB's `DatabasePool`, WAL mode).
public final class Replica: Sendable {
    /// What part a replica plays in sync, fixed when it is created.
    public enum Role: String, Sendable {
        /// A center or laptop: pushes its changes to a server, pulls everyone else's.
        case node
        /// The central server: keeps a feed others pull from (a node serving laptops keeps one
        /// too, see `Replica+Downstream`).
        case server
    }

    public let path: String
    public let catalog: RecordCatalog
    public let nodeID: NodeID
    public let role: Role
    let pool: DatabasePool
    /// False once `close()` has run.
    private let isOpen = Mutex(true)
    let stores: [String: RecordStore]
    let peers: PeerDirectory
    /// Record types this build does not declare, kept for newer nodes.
    let opaque: OpaqueTypes
    let wallClock: @Sendable () -> Int64

    /// Milliseconds since 1970 on this machine's clock: for display, never for causality.
    public static let systemWallClock: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }

    private init(path: String, catalog: RecordCatalog, pool: DatabasePool, wallClock: @escaping @Sendable () -> Int64)
        throws
    {
        self.path = path
        self.catalog = catalog
        self.pool = pool
        self.wallClock = wallClock
        let peers = PeerDirectory()
        self.peers = peers
        self.opaque = OpaqueTypes(peers: peers)
        self.stores = Dictionary(
            uniqueKeysWithValues: catalog.types.map { ($0.name, RecordStore(sql: RecordTableSQL($0), peers: peers)) })
        let identity = try Self.wrap(path: path) {
            try pool.read { db in
                (
                    try String.fetchOne(db, sql: "SELECT value FROM replica_meta WHERE key = 'node_id'"),
                    try String.fetchOne(db, sql: "SELECT value FROM replica_meta WHERE key = 'role'")
                )
            }
        }
        guard let idText = identity.0, let node = NodeID(idText), let role = Role(rawValue: identity.1 ?? "") else {
            throw ReplicaError(
                .storage,
                "the replica at \(path) has no node identity (an interrupted `hearth init`?); move it aside and run init again"
            )
        }
        self.nodeID = node
        self.role = role
    }

    /// Creates a new replica file (mode 0600) with its node identity. Refuses if `path` exists.
    ///
    /// Atomic: the database is built and given its identity at a temporary sibling
    /// (`PATH.init-XXXXXXXX`), closed, and only then linked into place, refusing to replace
    /// anything there. A `hearth init` killed half-way leaves no file at `path` (at worst a
    /// stray temporary sibling), never a replica without an identity.
    public static func create(
        at path: String, name: String, nodeID: NodeID = .random(), role: Role = .node,
        catalog: RecordCatalog = .hearth, wallClock: @escaping @Sendable () -> Int64 = Replica.systemWallClock
    ) throws(ReplicaError) -> Replica {
        try create(at: path, name: name, nodeID: nodeID, role: role, catalog: catalog, wallClock: wallClock) { _ in }
    }

    /// `create`, calling `step` with the path of the file just written at each stage
    /// (tests use it to look at the disk where a crash could stop the process).
    static func create(
        at path: String, name: String, nodeID: NodeID, role: Role, catalog: RecordCatalog,
        wallClock: @escaping @Sendable () -> Int64, step: (String) throws -> Void
    ) throws(ReplicaError) -> Replica {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ReplicaError(.invalidInput, "the node name must not be empty") }
        if ReplicaFile.exists(path) { throw ReplicaFile.creationError(errno: EEXIST, path: path) }
        let temporary = ReplicaFile.temporarySibling(of: path)
        try ReplicaFile.createPrivate(at: temporary)
        do {
            try step(temporary)
            let pool = try openPool(at: temporary, catalog: catalog)
            try step(temporary)
            try wrap(path: path) {
                try pool.write { db in
                    let now = wallClock()
                    for (key, value) in [
                        ("node_id", nodeID.rawValue), ("node_name", trimmed), ("role", role.rawValue),
                        ("counter", "0"), ("digest", ReplicaDigest().hex), ("created_at", String(now)),
                        (signingKeyKey, NodeSigningKey().hex),
                    ] {
                        try db.execute(
                            sql: "INSERT INTO replica_meta (key, value) VALUES (?, ?)", arguments: [key, value])
                    }
                    try db.execute(
                        sql: "INSERT INTO peer (node_id, name) VALUES (?, ?)", arguments: [nodeID.rawValue, trimmed])
                }
                // Closing the last connection checkpoints the WAL into the file and removes it,
                // so the one file linked into place holds everything.
                try pool.close()
            }
            try step(temporary)
            try ReplicaFile.moveIntoPlace(temporary, at: path)
            try step(path)
        } catch {
            removeDatabaseFiles(at: temporary)
            if let error = error as? ReplicaError { throw error }
            if let error = error as? DatabaseError { throw ReplicaError.storage(error, path: path) }
            throw ReplicaError(.storage, "cannot create the replica at \(path)", cause: error)
        }
        return try open(at: path, catalog: catalog, wallClock: wallClock)
    }

    /// Removes a database file and its SQLite side files, ignoring any that are not there.
    private static func removeDatabaseFiles(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Opens an existing replica, refusing (and touching nothing) if a newer Hearth wrote it.
    public static func open(
        at path: String, catalog: RecordCatalog = .hearth,
        wallClock: @escaping @Sendable () -> Int64 = Replica.systemWallClock
    ) throws(ReplicaError) -> Replica {
        guard ReplicaFile.exists(path) else {
            throw ReplicaError(
                .notInitialized, "no replica at \(path); run `hearth init --name NAME` first, or pass --db PATH")
        }
        try ReplicaFile.checkSchemaVersion(at: path)
        do {
            let pool = try openPool(at: path, catalog: catalog)
            let replica = try Replica(path: path, catalog: catalog, pool: pool, wallClock: wallClock)
            try replica.promoteKeptRecords()
            try replica.eraseLegacyTombstones()
            return replica
        } catch let error as ReplicaError {
            throw error
        } catch let error as DatabaseError {
            throw ReplicaError.storage(error, path: path)
        } catch {
            throw ReplicaError(.storage, "cannot open the replica at \(path)", cause: error)
        }
    }

    private static func openPool(at path: String, catalog: RecordCatalog) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(ReplicaFile.busyTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Deleting erases: SQLite overwrites the space a row or page gave up with zeros, so an
            // erased name or phone does not linger in free space of the file.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // The writer gets 32 MiB of page cache instead of SQLite's 2 MiB: random record ids
            // spread writes over the whole id index, and with the small cache a large sync reads
            // those pages back again and again. Readers keep the default: a server has several,
            // and their pages come from the operating system's cache just as well.
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -32768") }
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try ReplicaMigrations.migrator(catalog: catalog).migrate(pool)
        try pool.write { db in try ReplicaMigrations.addMissingTables(db, catalog: catalog) }
        return pool
    }

    /// Closes the database; further use throws, and closing again does nothing.
    ///
    /// First copies the write-ahead log into the main file, so that after a clean stop the `.db`
    /// file alone holds everything (a copy of it is complete). A closed pool must not be touched
    /// again, hence the flag.
    public func close() throws(ReplicaError) {
        guard
            isOpen.withLock({ open in
                defer { open = false }; return open
            })
        else { return }
        try Self.wrap(path: path) {
            // Passive: it never waits for, nor fails because of, other processes using the file;
            // when none does (a server stopping), it copies every logged page into the file.
            _ = try? pool.writeWithoutTransaction { db in
                _ = try db.checkpoint(.passive)
                // Then empty the log file, if no other process is reading (no waiting for one):
                // old page images, erased values among them, do not stay in it.
                try db.execute(sql: "PRAGMA busy_timeout = 0")
                _ = try? db.checkpoint(.truncate)
            }
            try pool.close()
        }
    }

    /// Writes a consistent copy of this replica to a new file at `path` (mode 0600), while
    /// others go on reading and writing: SQLite's `VACUUM INTO` reads one snapshot.
    public func backup(to path: String) throws(ReplicaError) {
        try ReplicaFile.createPrivate(at: path)
        do {
            try Self.wrap(path: self.path) {
                try pool.unsafeRead { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// Runs `body` in one write transaction. Nothing of it is kept if it throws.
    @discardableResult
    public func write<T>(_ body: (ReplicaTransaction) throws -> T) throws(ReplicaError) -> T {
        do {
            return try Self.wrap(path: path) {
                try pool.write { db in
                    let transaction = try ReplicaTransaction(replica: self, db: db)
                    let result = try body(transaction)
                    try transaction.finish()
                    return result
                }
            }
        } catch {
            peers.invalidate()
            throw error
        }
    }

    /// Runs `body` on a consistent snapshot of the replica.
    public func read<T>(_ body: (ReplicaReader) throws -> T) throws(ReplicaError) -> T {
        try Self.wrap(path: path) { try pool.read { db in try body(ReplicaReader(replica: self, db: db)) } }
    }

    func store(for type: String) throws(ReplicaError) -> RecordStore {
        if let store = stores[type] ?? opaque.store(for: type) { return store }
        _ = try catalog.require(type)
        throw ReplicaError(.invalidInput, "this replica keeps no records of that type")
    }

    /// The store for an incoming record's type: a declared one, or a type this build does not
    /// know, kept opaquely (its table is created in this transaction if needed).
    func store(for type: String, creatingIn db: Database) throws -> RecordStore {
        if let store = stores[type] ?? opaque.store(for: type) { return store }
        try opaque.refresh(db, declared: catalog)
        if let store = opaque.store(for: type) { return store }
        guard OpaqueTypes.isAcceptableName(type) else {
            throw ReplicaError(
                .invalidInput, "its record type is neither declared here nor a name a newer Hearth could declare")
        }
        return try opaque.store(for: type, creatingIn: db)
    }

    /// Every store: the declared types in catalog order, then the kept ones by name.
    func allStores(_ db: Database) throws -> [RecordStore] {
        try opaque.refresh(db, declared: catalog)
        return catalog.types.compactMap { stores[$0.name] } + opaque.names.compactMap { opaque.store(for: $0) }
    }

    /// Turns any error into a `ReplicaError`, keeping ours as they are; SQLite's are explained
    /// by `ReplicaError.storage(_:path:)` (busy, disk full and damage each say what to do).
    static func wrap<T>(path: String? = nil, _ body: () throws -> T) throws(ReplicaError) -> T {
        do {
            return try body()
        } catch let error as ReplicaError {
            throw error
        } catch let error as RecordValidationError {
            throw ReplicaError.invalid(error)
        } catch let error as DatabaseError {
            throw ReplicaError.storage(error, path: path)
        } catch {
            throw ReplicaError(.storage, "the replica failed: \(error)", cause: error)
        }
    }
}
