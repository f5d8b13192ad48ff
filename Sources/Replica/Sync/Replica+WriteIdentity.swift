import GRDB
public import SyncCore

/// The newest own write of a writer identity: what the server is told after each push, so a
/// later session can tell whether this replica is still the one that made those writes.
public struct WriteLineage: Sendable, Hashable {
    public var writer: NodeID
    /// The counter of the newest own write (0 before the first).
    public var counter: UInt64
    /// That write's random tag ("" when there is none).
    public var tag: String

    public init(writer: NodeID, counter: UInt64, tag: String) {
        self.writer = writer
        self.counter = counter
        self.tag = tag
    }
}

extension Replica {
    /// The settings key of the current writer identity (absent: the node id itself).
    static let writerKey = "writer_id"
    /// The settings key of earlier writer identities of this replica, comma-separated.
    static let formerWritersKey = "former_writers"

    /// The identity this replica's new writes carry in their dots.
    public func currentWriter() throws(ReplicaError) -> NodeID {
        try read { reader in try reader.setting(Self.writerKey).flatMap(NodeID.init) ?? nodeID }
    }

    /// The newest own write, for the server (see `WriteLineage`).
    public func lineage() throws(ReplicaError) -> WriteLineage {
        try read { reader in
            let writer = try reader.setting(Self.writerKey).flatMap(NodeID.init) ?? nodeID
            let row = try Row.fetchOne(
                reader.db, sql: "SELECT counter, tag FROM change_log ORDER BY counter DESC LIMIT 1")
            return WriteLineage(
                writer: writer, counter: UInt64(row?[0] as Int64? ?? 0), tag: row?[1] as String? ?? "")
        }
    }
}

extension ReplicaReader {
    /// Every writer identity this replica has used: the node id, the current one, the former ones.
    public func ownWriters() throws -> Set<NodeID> {
        var writers: Set<NodeID> = [replica.nodeID]
        if let current = try setting(Replica.writerKey).flatMap(NodeID.init) { writers.insert(current) }
        for text in (try setting(Replica.formerWritersKey) ?? "").split(separator: ",") {
            if let former = NodeID(String(text)) { writers.insert(former) }
        }
        return writers
    }
}

extension ReplicaTransaction {
    /// Whether this replica's write `counter` is the one the server knows by `tag`: false when
    /// the replica has no such write, or has another one under that number (it was restored
    /// from a copy older than that write and has written since). Writes from before tags were
    /// kept cannot be compared and count as the same.
    func holdsWrite(counter: UInt64, tag: String) throws -> Bool {
        guard counter > 0 else { return true }
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT tag FROM change_log WHERE counter = ?", arguments: [Int64(clamping: counter)])
        else { return false }
        guard let held = row[0] as String?, !tag.isEmpty else { return true }
        return held == tag
    }

    /// Gives this replica a new writer identity and moves its writes that the server may not
    /// hold (those after `watermark`, the counter up to which the server acknowledged them all)
    /// onto it, with new counters after `floor`.
    ///
    /// A restored or re-installed replica may have used write numbers that its lost copy had
    /// already used for other writes the server holds. Renumbering them under a fresh identity
    /// makes every dot name one write again; the vector of each touched record keeps, of the old
    /// identity, only its writes the server acknowledged, so the lost copy's writes merge in as
    /// concurrent ones when they are pulled back, and nothing of either side is lost.
    /// Returns how many writes were renumbered.
    func restampOwnWrites(after watermark: UInt64, floor: UInt64) throws -> Int {
        let old = writer
        let next = NodeID.random()
        let rows = try Row.fetchAll(
            db, sql: "SELECT counter, record_type, record_id FROM change_log WHERE counter > ? ORDER BY counter",
            arguments: [Int64(clamping: watermark)])
        var base = max(floor, counter)
        var renumbered: [UInt64: UInt64] = [:]
        var touched: [(type: String, id: String)] = []
        var seen: Set<String> = []
        for row in rows {
            base += 1
            renumbered[UInt64(row[0] as Int64)] = base
            let key = (row[1] as String) + "/" + (row[2] as String)
            if seen.insert(key).inserted { touched.append((row[1], row[2])) }
        }
        // The old identity's own writes the server acknowledged: its highest number up to the
        // watermark. The watermark itself may be no write of it at all: an identity taken by an
        // earlier renumbering starts far above it. (Writes logged before identities were kept
        // have no writer; they are the node id's.)
        let acknowledged = UInt64(
            try Int64.fetchOne(
                db, sql: "SELECT max(counter) FROM change_log WHERE counter <= ? AND (writer = ? OR writer IS NULL)",
                arguments: [Int64(clamping: watermark), old.rawValue]) ?? 0)
        for (type, id) in touched {
            guard let recordType = replica.catalog.type(named: type), var state = try record(recordType, id: id)
            else { continue }
            var counters = state.vector.counters
            if let held = counters[old], held > watermark {
                // Only what was acknowledged and the versions that keep their dots: an entry
                // naming a write that never existed would never be covered by the stable vector,
                // so the record's tombstone could never be collected.
                let staying =
                    state.fields.values.flatMap(\.versions).map(\.dot)
                    .filter { $0.node == old && $0.counter <= watermark }.map(\.counter).max() ?? 0
                let kept = min(max(acknowledged, staying), watermark)
                counters[old] = kept > 0 ? kept : nil
            }
            var vector = VersionVector(counters)
            for (field, fieldState) in state.fields {
                let versions = fieldState.versions.map { version -> FieldVersion in
                    guard version.dot.node == old, version.dot.counter > watermark else { return version }
                    var moved = version
                    moved.dot = Dot(node: next, counter: renumbered[version.dot.counter] ?? base)
                    vector.add(moved.dot)
                    return moved
                }
                state.fields[field] = FieldState(field: field, versions: versions)
            }
            state.vector = vector
            try replaceState(state, pending: true)
        }
        // Highest first would collide with nothing either: every new counter is above every old one.
        let move = try db.cachedStatement(
            sql: "UPDATE change_log SET counter = ?, writer = ?, tag = ? WHERE counter = ?")
        for (from, to) in renumbered.sorted(by: { $0.key < $1.key }) {
            try move.execute(arguments: [Int64(clamping: to), next.rawValue, UUIDText.random(), Int64(clamping: from)])
        }
        let former = try setting(Replica.formerWritersKey).map { $0 + "," } ?? ""
        try setSetting(Replica.formerWritersKey, former + old.rawValue)
        try adoptWriter(next, counter: base)
        return renumbered.count
    }
}
