import GRDB
import Replica
public import SyncCore

/// The writer identities of the nodes: which node each belongs to, the highest write number
/// merged of each, and the newest write each node reported (see PROTOCOL.md §16.2).
extension SQLiteServerStore {
    static func createWriterTable(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS writer (
                    writer_id TEXT PRIMARY KEY NOT NULL,
                    node_id TEXT NOT NULL,
                    highest_counter INTEGER NOT NULL DEFAULT 0,
                    lineage_counter INTEGER NOT NULL DEFAULT 0,
                    lineage_tag TEXT NOT NULL DEFAULT '');
                INSERT OR IGNORE INTO writer (writer_id, node_id) SELECT node_id, node_id FROM registered_node;
                """)
        // Added with tombstone collection (see `SQLiteServerStore+Stability`).
        let columns = Set(try db.columns(in: "writer").map(\.name))
        for column in ["settled", "candidate", "candidate_seq", "stable"] where !columns.contains(column) {
            try db.execute(sql: "ALTER TABLE writer ADD COLUMN \(column) INTEGER NOT NULL DEFAULT 0")
        }
        // The few writers whose writes are not all stable yet, which `promote` looks at.
        try db.execute(sql: "CREATE INDEX IF NOT EXISTS writer_unsettled ON writer (writer_id) WHERE settled > stable")
    }

    public func claimWriter(_ writer: NodeID, for node: NodeID) throws -> Bool {
        // Every session asks; almost always the writer is known already: no write transaction then.
        let owner = try replica.read { reader in
            try String.fetchOne(
                reader.db.cachedStatement(sql: "SELECT node_id FROM writer WHERE writer_id = ?"),
                arguments: [writer.rawValue])
        }
        if let owner { return owner == node.rawValue }
        return try replica.write { transaction in
            let db = transaction.db
            if let owner = try String.fetchOne(
                db, sql: "SELECT node_id FROM writer WHERE writer_id = ?", arguments: [writer.rawValue])
            {
                return owner == node.rawValue
            }
            let isAnotherNode =
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM registered_node WHERE node_id = ?)",
                    arguments: [writer.rawValue]) ?? false
            guard !isAnotherNode, writer != replica.nodeID else { return false }
            // A node takes a new writer identity when its replica lost writes or was readmitted:
            // it has renumbered what the server never acknowledged, so its older identities will
            // write nothing more, and all they wrote that the server has is all there is.
            try Self.retireWriters(of: node, db)
            try db.execute(
                sql: "INSERT INTO writer (writer_id, node_id) VALUES (?, ?)",
                arguments: [writer.rawValue, node.rawValue])
            return true
        }
    }

    public func writerStatus(_ writer: NodeID) throws -> WriterStatus {
        try replica.read { reader in
            guard
                let row = try Row.fetchOne(
                    reader.db.cachedStatement(
                        sql: "SELECT highest_counter, lineage_counter, lineage_tag FROM writer WHERE writer_id = ?"),
                    arguments: [writer.rawValue])
            else { return WriterStatus() }
            return WriterStatus(
                highestCounter: UInt64(row[0] as Int64), lineageCounter: UInt64(row[1] as Int64), lineageTag: row[2])
        }
    }

    public func notePush(_ note: PushNote) throws {
        try replica.write { transaction in
            let db = transaction.db
            let raise = try db.cachedStatement(
                sql: "UPDATE writer SET highest_counter = max(highest_counter, ?) WHERE writer_id = ?")
            for (writer, counter) in note.highestCounters {
                try raise.execute(arguments: [Int64(clamping: counter), writer.rawValue])
            }
            if let lineage = note.lineage {
                try db.execute(
                    sql: """
                        UPDATE writer SET lineage_counter = ?, lineage_tag = ?
                        WHERE writer_id = ? AND node_id = ? AND lineage_counter <= ?
                        """,
                    arguments: [
                        Int64(clamping: lineage.counter), lineage.tag, lineage.writer.rawValue, note.node.rawValue,
                        Int64(clamping: lineage.counter),
                    ])
            }
            try db.execute(
                sql:
                    "UPDATE registered_node SET last_seen_at = ?, pushed_changes = pushed_changes + ? WHERE node_id = ?",
                arguments: [note.time, note.merged, note.node.rawValue])
        }
    }
}

/// What one merged push tells the server about its node: when it was seen, how many changes
/// were merged, the highest write number of each author in them, and the newest write the node
/// reported (PROTOCOL.md §16.2).
public struct PushNote: Sendable {
    public var node: NodeID
    public var time: Int64
    public var merged: Int
    public var highestCounters: [NodeID: UInt64]
    public var lineage: (writer: NodeID, counter: UInt64, tag: String)?

    public init(
        node: NodeID, time: Int64, merged: Int, highestCounters: [NodeID: UInt64],
        lineage: (writer: NodeID, counter: UInt64, tag: String)?
    ) {
        self.node = node
        self.time = time
        self.merged = merged
        self.highestCounters = highestCounters
        self.lineage = lineage
    }
}

/// What the server knows of one writer identity's writes.
public struct WriterStatus: Sendable, Hashable {
    public var highestCounter: UInt64 = 0
    public var lineageCounter: UInt64 = 0
    public var lineageTag = ""

    public init(highestCounter: UInt64 = 0, lineageCounter: UInt64 = 0, lineageTag: String = "") {
        self.highestCounter = highestCounter
        self.lineageCounter = lineageCounter
        self.lineageTag = lineageTag
    }
}
