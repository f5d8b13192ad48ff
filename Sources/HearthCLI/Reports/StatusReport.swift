public import Replica
import SyncCore

/// What `hearth status` says about a replica: who it is, what it holds, and what is waiting to sync.
public struct StatusReport: Sendable {
    /// How many live records of one type the replica holds.
    public struct RecordCount: Sendable, Hashable {
        public var type: String
        public var count: Int
    }

    /// A further line of status (server, last sync…), shown in the text form and under `key` in JSON.
    public struct Line: Sendable, Hashable {
        public var key: String
        public var label: String
        public var value: JSONValue

        public init(key: String, label: String, value: JSONValue) {
            self.key = key
            self.label = label
            self.value = value
        }
    }

    public var path: String
    public var nodeID: String
    public var nodeName: String
    public var role: String
    public var records: [RecordCount]
    public var unsyncedChanges: Int
    public var openConflicts: Int
    public var digest: String
    /// Lines added by other parts of the client (sync state), after the local ones.
    public var extraLines: [Line] = []

    /// Reads the local part of the status from one consistent snapshot.
    public static func load(_ reader: ReplicaReader) throws -> StatusReport {
        let replica = reader.replica
        return StatusReport(
            path: replica.path, nodeID: replica.nodeID.rawValue, nodeName: try reader.nodeName(),
            role: replica.role.rawValue,
            records: try replica.catalog.types.map { RecordCount(type: $0.name, count: try reader.count($0)) },
            unsyncedChanges: try reader.unsyncedChangeCount(), openConflicts: try reader.openConflictCount(),
            digest: try reader.digest().hex)
    }

    public var json: JSONValue {
        var members: [JSONValue.Member] = [
            .init("nodeId", .string(nodeID)),
            .init("nodeName", .string(nodeName)),
            .init("role", .string(role)),
            .init("db", .string(path)),
            .init("records", .object(records.map { .init($0.type, .integer(Int64($0.count))) })),
            .init("unsyncedChanges", .integer(Int64(unsyncedChanges))),
            .init("openConflicts", .integer(Int64(openConflicts))),
            .init("digest", .string(digest)),
        ]
        members += extraLines.map { .init($0.key, $0.value) }
        return .object(members)
    }

    public var text: String {
        var list = KeyValueList()
        list.append("node", "\(nodeName) (\(nodeID))")
        list.append("replica", path)
        for record in records {
            list.append("\(record.type) records", String(record.count))
        }
        list.append("unsynced changes", String(unsyncedChanges))
        list.append("open conflicts", openConflicts == 0 ? "0" : "\(openConflicts) (see `hearth conflicts list`)")
        list.append("digest", digest)
        for line in extraLines {
            list.append(line.label, Self.display(line.value))
        }
        return list.render()
    }

    private static func display(_ value: JSONValue) -> String {
        switch value {
        case .null: "-"
        case .bool(let flag): flag ? "yes" : "no"
        case .integer(let number): String(number)
        case .string(let text): text
        case .array(let items) where items.isEmpty: "none"
        case .array(let items): "\(items.count) (listed on stderr)"
        case .object: value.rendered(pretty: false)
        }
    }
}
