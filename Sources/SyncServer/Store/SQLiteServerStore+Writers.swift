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
    }

    public func claimWriter(_ writer: NodeID, for node: NodeID) throws -> Bool {
        try replica.write { transaction in
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
                    reader.db,
                    sql: "SELECT highest_counter, lineage_counter, lineage_tag FROM writer WHERE writer_id = ?",
                    arguments: [writer.rawValue])
            else { return WriterStatus() }
            return WriterStatus(
                highestCounter: UInt64(row[0] as Int64), lineageCounter: UInt64(row[1] as Int64), lineageTag: row[2])
        }
    }

    public func noteHighestCounters(_ counters: [NodeID: UInt64]) throws {
        guard !counters.isEmpty else { return }
        try replica.write { transaction in
            let statement = try transaction.db.cachedStatement(
                sql: "UPDATE writer SET highest_counter = max(highest_counter, ?) WHERE writer_id = ?")
            for (writer, counter) in counters {
                try statement.execute(arguments: [Int64(clamping: counter), writer.rawValue])
            }
        }
    }

    public func noteLineage(writer: NodeID, counter: UInt64, tag: String, of node: NodeID) throws {
        try replica.write { transaction in
            try transaction.db.execute(
                sql: """
                    UPDATE writer SET lineage_counter = ?, lineage_tag = ?
                    WHERE writer_id = ? AND node_id = ? AND lineage_counter <= ?
                    """,
                arguments: [
                    Int64(clamping: counter), tag, writer.rawValue, node.rawValue, Int64(clamping: counter),
                ])
        }
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
