public import GRDB
public import SyncCore

/// One open write transaction on a replica: local writes with change capture, and merges.
///
/// Not `Sendable`: it lives only inside `Replica.write { tx in … }`. It keeps the node's write
/// counter and the replica digest in memory while the transaction runs and stores them once
/// at the end (`finish()`), so a batch of writes costs one update of each.
public final class ReplicaTransaction {
    public let replica: Replica
    /// The open SQLite connection; valid only inside the closure.
    public let db: Database
    private(set) var counter: UInt64
    /// The identity this replica's new writes carry in their dots (see `Replica+WriteIdentity`).
    private(set) var writer: NodeID
    private var digest: ReplicaDigest
    private var countersDirty = false
    private var digestDirty = false
    /// The wall-clock time of this transaction, stamped on its writes for display.
    public let wallTime: Int64
    /// This replica keeps a change feed others pull from: it is a server, or a node serving its
    /// laptops (`Replica+Downstream`). Read at the start of every transaction, so a process that
    /// opened the file before the node started serving keeps the feed too.
    let keepsFeed: Bool
    /// The last record table written by a local write and its upsert, and the change log's
    /// insert: a transaction that writes many records finds them here instead of hashing their
    /// SQL in GRDB's statement cache at every write.
    private var lastUpsert: (table: String, statement: Statement)?
    private var changeLogInsert: Statement?

    init(replica: Replica, db: Database) throws {
        self.replica = replica
        self.db = db
        self.counter = UInt64(try ReplicaMeta.get("counter", db) ?? "0") ?? 0
        self.writer = try ReplicaMeta.get(Replica.writerKey, db).flatMap(NodeID.init) ?? replica.nodeID
        self.digest = ReplicaDigest(hex: try ReplicaMeta.get("digest", db) ?? "") ?? ReplicaDigest()
        self.wallTime = replica.wallClock()
        let servesDownstream = try ReplicaMeta.get(Replica.servesDownstreamKey, db) == "1"
        self.keepsFeed = replica.role == .server || servesDownstream
    }

    func finish() throws {
        if countersDirty { try ReplicaMeta.set("counter", String(counter), db) }
        if digestDirty { try ReplicaMeta.set("digest", digest.hex, db) }
    }

    /// Raises this node's write counter to `floor` when it is lower; true when it did.
    func raiseCounter(to floor: UInt64) -> Bool {
        guard floor > counter else { return false }
        counter = floor
        countersDirty = true
        return true
    }

    /// The current state of a record, deleted ones included; nil if unknown here.
    public func record(_ type: RecordType, id: String) throws -> RecordState? {
        try replica.store(for: type.name).load(id: id, db)?.state
    }

    /// The current state of a record of any type this replica keeps (declared or kept for a
    /// newer release); nil if unknown here.
    func record(typeNamed type: String, id: String) throws -> RecordState? {
        try storedRecord(typeNamed: type, id: id)?.state
    }

    /// `record(typeNamed:id:)` with its stored hash.
    func storedRecord(typeNamed type: String, id: String) throws -> StoredRecord? {
        if let store = replica.stores[type] ?? replica.opaque.store(for: type) {
            return try store.load(id: id, db)
        }
        try replica.opaque.refresh(db, declared: replica.catalog)
        return try replica.opaque.store(for: type)?.load(id: id, db)
    }

    // MARK: Local writes

    /// Creates a record from validated values; its id is random or derived from its unique key.
    @discardableResult
    public func insert(_ type: RecordType, _ values: [String: FieldValue]) throws -> RecordState {
        let id: String
        switch type.identity {
        case .random:
            // A fresh random UUID cannot collide with a stored record: skip the lookup.
            return try write(type, id: UUIDText.random(), values, mustExist: false, knownNew: true)
        case .derived(let keyFields):
            id = DerivedID.make(type: type.name, key: keyFields.map { values[$0]?.description ?? "" })
            if let existing = try record(type, id: id), !existing.isDeleted {
                throw ReplicaError(.alreadyExists, "this \(type.name) already exists (id \(id))")
            }
        }
        return try write(type, id: id, values, mustExist: false)
    }

    /// Changes some fields of a live record; only those fields get the new dot.
    @discardableResult
    public func update(_ type: RecordType, id: String, _ values: [String: FieldValue]) throws -> RecordState {
        guard !values.isEmpty else { throw ReplicaError(.invalidInput, "nothing to change: give at least one field") }
        return try write(type, id: id, values, mustExist: true)
    }

    /// Deletes a live record, leaving a tombstone that carries its version vector.
    @discardableResult
    public func delete(_ type: RecordType, id: String) throws -> RecordState {
        try write(type, id: id, [RecordState.lifecycleField: RecordState.deleted], mustExist: true)
    }

    /// Takes in a state of a record this replica had collected and deletes it again at once,
    /// with a new write of this node: the record stays gone here, and the delete travels to
    /// wherever the state came from (see `Replica.applyPulledPage`).
    func deleteAgain(_ zombie: RecordState) throws {
        try apply(zombie, from: .upstream)
        let type = replica.catalog.type(named: zombie.type) ?? OpaqueTypes.declaration(zombie.type)
        try write(type, id: zombie.id, [RecordState.lifecycleField: RecordState.deleted], mustExist: false)
    }

    /// Writes `values` to record `id` (re-creating it if it is a tombstone and `mustExist` is false).
    ///
    /// Validates the resulting shown values before anything is stored; captures the change.
    @discardableResult
    public func write(_ type: RecordType, id: String, _ values: [String: FieldValue], mustExist: Bool) throws
        -> RecordState
    {
        try write(type, id: id, values, mustExist: mustExist, knownNew: false)
    }

    private func write(
        _ type: RecordType, id: String, _ values: [String: FieldValue], mustExist: Bool, knownNew: Bool
    ) throws -> RecordState {
        let store = try replica.store(for: type.name)
        for (name, value) in values {
            if let problem = type.problem(with: value, field: name) { throw ReplicaError(.invalidInput, problem) }
        }
        let stored = knownNew ? nil : try store.load(id: id, db)
        if mustExist, stored == nil || stored!.state.isDeleted {
            throw ReplicaError(.notFound, "no \(type.name) with id \(id); list them with `hearth \(type.name) list`")
        }
        let base = stored?.state ?? RecordState(type: type.name, id: id)
        let dot = Dot(node: writer, counter: counter + 1)
        let next = base.applyingLocalWrite(values, dot: dot, wallTime: wallTime, keeping: type.erasureKeeps)
        if !next.isDeleted {
            // Fields already empty in a live record, and not written now, were erased by a delete
            // that a concurrent edit outlived: an edit of other fields may leave them empty.
            var erased: Set<String> = []
            if let base = stored?.state, !base.isDeleted {
                for spec in type.fields where values[spec.name] == nil && base.value(spec.name).isNull {
                    erased.insert(spec.name)
                }
            }
            try type.validate(shownValuesOf: next, toleratingMissing: erased)
        }
        counter += 1
        countersDirty = true
        let sortedFields = next.fields.sorted(by: { $0.key < $1.key })
        let hash = try store.save(
            next, pending: replica.role == .node, db, upsert: try upsertStatement(for: store),
            sortedFields: sortedFields)
        try afterStateChange(old: stored, new: next, hash: hash, origin: nil)
        let changeLog = RawStatement(try changeLogStatement(), db)
        var parameters = ParameterBuffer(capacity: 256)
        changeLog.bind(Int64(dot.counter), at: 1)
        parameters.text(type.name, at: 2)
        parameters.text(id, at: 3)
        parameters.text(Self.fieldList(values, sortedFields: sortedFields), at: 4)
        changeLog.bind(wallTime, at: 5)
        parameters.text(writer.rawValue, at: 6)
        // A random tag names this write, so the server can tell a restored copy's write n from the original's.
        parameters.text(UUIDText.random(), at: 7)
        try changeLog.execute(with: parameters)
        return next
    }

    /// The written field names, sorted and joined by `,` (the change log's `fields`).
    ///
    /// `sortedFields` are the written state's fields, sorted: they include every written field
    /// and the lifecycle field, so when there are no others they are the list already.
    private static func fieldList(
        _ values: [String: FieldValue], sortedFields: [(key: String, value: FieldState)]
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        var first = true
        func append(_ name: String) {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            bytes.append(contentsOf: name.utf8)
        }
        let writesLifecycle = values[RecordState.lifecycleField] != nil
        if sortedFields.count == values.count + (writesLifecycle ? 0 : 1) {
            bytes.reserveCapacity(sortedFields.count * 16)
            for index in sortedFields.indices {
                let name = sortedFields[index].key
                if writesLifecycle || name != RecordState.lifecycleField { append(name) }
            }
        } else {
            for name in values.keys.sorted() { append(name) }
        }
        return bytes
    }

    /// `store`'s upsert, kept while local writes go to the same table.
    private func upsertStatement(for store: RecordStore) throws -> Statement {
        if let lastUpsert, lastUpsert.table == store.sql.table { return lastUpsert.statement }
        let statement = try db.cachedStatement(sql: store.sql.upsert)
        lastUpsert = (store.sql.table, statement)
        return statement
    }

    private func changeLogStatement() throws -> Statement {
        if let changeLogInsert { return changeLogInsert }
        let statement = try db.cachedStatement(
            sql:
                """
                INSERT INTO change_log (counter, record_type, record_id, fields, wall_time, writer, tag)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        changeLogInsert = statement
        return statement
    }

    // MARK: Merging incoming states

    /// Where an incoming state came from, which decides what still needs sending upstream.
    public enum Origin: Sendable {
        /// Pulled from this replica's upstream (the server): it already has that state.
        case upstream
        /// Pushed to this replica by another node, which already has that state.
        case downstream(NodeID)
    }

    /// Merges an incoming record state with the local one (see `RecordMerge`) and stores the result.
    @discardableResult
    public func apply(_ incoming: RecordState, from origin: Origin) throws -> RecordMerge.Result {
        let store = try replica.store(for: incoming.type, creatingIn: db)
        let fromUpstream: Bool
        if case .upstream = origin { fromUpstream = true } else { fromUpstream = false }
        let stored = try store.load(id: incoming.id, db)
        try IncomingStateCheck.validate(incoming, type: store.type, keepingValues: fromUpstream)
        let result = RecordMerge.merge(local: stored?.state, incoming: incoming)
        guard result.changesLocalState else { return result }
        let pending: Bool
        switch (replica.role, origin) {
        case (.server, _): pending = false
        case (.node, .upstream): pending = result.state != incoming
        case (.node, .downstream): pending = true
        }
        let hash = try store.save(result.state, pending: pending, db)
        var feedOrigin: Int64?
        if case .downstream(let node) = origin, result.state == incoming {
            feedOrigin = try replica.peers.index(of: node, db)
        }
        try afterStateChange(old: stored, new: result.state, hash: hash, origin: feedOrigin)
        return result
    }

    /// Saves a state `PushedPageMerge` planned for a page pushed by `node`, with the digest, the
    /// conflict index and the feed in step; `sendersOwn` marks its feed entry as the sender's.
    /// `stored` is what was held before the page.
    func storePushed(_ state: RecordState, replacing stored: StoredRecord?, from node: NodeID, sendersOwn: Bool) throws
    {
        let store = try replica.store(for: state.type, creatingIn: db)
        let hash = try store.save(state, pending: replica.role == .node, db)
        let origin = sendersOwn ? try replica.peers.index(of: node, db) : nil
        try afterStateChange(old: stored, new: state, hash: hash, origin: origin)
    }

    /// Switches this replica's new writes to another writer identity (see `Replica+WriteIdentity`).
    func adoptWriter(_ next: NodeID, counter floor: UInt64) throws {
        writer = next
        try ReplicaMeta.set(Replica.writerKey, next.rawValue, db)
        _ = raiseCounter(to: floor)
    }

    /// Stores a state this replica rewrote itself (re-stamped own writes, erased a tombstone,
    /// applied the server's collection rule), keeping the digest and the conflict index in step.
    func replaceState(_ state: RecordState, pending: Bool) throws {
        let store = try replica.store(for: state.type)
        let stored = try store.load(id: state.id, db)
        let hash = try store.save(state, pending: pending, db)
        try afterStateChange(old: stored, new: state, hash: hash, origin: nil)
    }

    /// Removes a record whole (a collected tombstone): its row, its digest contribution, its
    /// open conflicts and, where a feed is kept, its feed entry.
    func forget(_ stored: StoredRecord, in store: RecordStore) throws {
        let state = stored.state
        try db.execute(sql: "DELETE FROM \(store.sql.table) WHERE id = ?", arguments: [state.id])
        digest.toggle(stored.hash)
        digestDirty = true
        try db.execute(
            sql: "DELETE FROM open_conflict WHERE record_type = ? AND record_id = ?", arguments: [state.type, state.id])
        if keepsFeed {
            try db.execute(
                sql: "DELETE FROM feed WHERE record_type = ? AND record_id = ?", arguments: [state.type, state.id])
        }
    }

    /// Keeps the digest, the open-conflict index and (where one is kept) the feed in step with a record.
    private func afterStateChange(old: StoredRecord?, new: RecordState, hash: [UInt8], origin: Int64?) throws {
        if let old { digest.toggle(old.hash) }
        digest.toggle(hash)
        digestDirty = true
        let newConflicts = new.openConflictFields
        if !newConflicts.isEmpty || !(old?.state.openConflictFields.isEmpty ?? true) {
            let clear = try db.cachedStatement(
                sql: "DELETE FROM open_conflict WHERE record_type = ? AND record_id = ?")
            try clear.execute(arguments: [new.type, new.id])
            let add = try db.cachedStatement(
                sql: "INSERT INTO open_conflict (record_type, record_id, field) VALUES (?, ?, ?)")
            for field in newConflicts { try add.execute(arguments: [new.type, new.id, field]) }
        }
        if keepsFeed {
            let feed = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO feed (record_type, record_id, origin) VALUES (?, ?, ?)")
            try feed.execute(arguments: [new.type, new.id, origin])
        }
    }
}
