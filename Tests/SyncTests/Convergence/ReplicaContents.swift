import GRDB
import Replica
import SyncCore

/// Everything one replica holds that must converge, read in one snapshot.
struct ReplicaContents {
    /// One open conflict as every replica must report it: where, and the competing writes in
    /// winner order (node names are left out: they are display data).
    struct ConflictSignature: Hashable, CustomStringConvertible {
        var id: String
        var recordType: String
        var recordID: String
        var field: String
        var sides: [Dot]

        var description: String {
            "\(recordType) \(recordID.prefix(8)) \(field) [\(sides.map(\.description).joined(separator: ", "))] (id \(id))"
        }
    }

    var name: String
    var digest: ReplicaDigest
    var recomputedDigest: ReplicaDigest
    /// Every record, tombstones included, by `type/id`.
    var states: [String: RecordState]
    var conflicts: Set<ConflictSignature>
    /// How many rows the open-conflict index holds (`conflicts()` hides stale ones).
    var conflictRows: Int
    var pending: Int

    static func key(_ state: RecordState) -> String { "\(state.type)/\(state.id)" }

    static func read(_ replica: Replica, name: String) throws -> ReplicaContents {
        let pending = try replica.pendingRecordCount()
        return try replica.read { reader in
            var states: [String: RecordState] = [:]
            for state in try allStates(reader) { states[key(state)] = state }
            let conflicts = try reader.conflicts().map { report in
                ConflictSignature(
                    id: report.id, recordType: report.recordType, recordID: report.recordID, field: report.field,
                    sides: report.sides.map(\.dot))
            }
            return ReplicaContents(
                name: name, digest: try reader.digest(), recomputedDigest: try reader.recomputedDigest(),
                states: states,
                conflicts: Set(conflicts),
                conflictRows: try Int.fetchOne(reader.db, sql: "SELECT count(*) FROM open_conflict") ?? 0,
                pending: pending)
        }
    }

    /// Every stored state, tombstones included, in type then id order: the declared types, then
    /// those the replica keeps for a newer release (an older node's `x_TYPE` tables), which
    /// converge like any other.
    static func allStates(_ reader: ReplicaReader) throws -> [RecordState] {
        let kept = try String.fetchAll(
            reader.db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'x_*' ORDER BY name")
        // Reading the kept count registers every kept table with the replica (another instance,
        // or the copy it was restored from, may have created them), so `record` finds them.
        if !kept.isEmpty { _ = try reader.keptForNewerReleaseCount() }
        let types =
            reader.replica.catalog.types.map { ($0, "\"\($0.name)\"") }
            + kept.map { (RecordType(name: String($0.dropFirst(2)), fields: []), $0) }
        var states: [RecordState] = []
        for (type, table) in types {
            for id in try String.fetchAll(reader.db, sql: "SELECT id FROM \(table) ORDER BY id") {
                if let state = try reader.record(type, id: id) { states.append(state) }
            }
        }
        return states
    }

    /// The conflicts these states hold that are open work, as reports must describe them: a
    /// deleted record's field conflicts are closed with it (only live records are listed).
    static func conflicts(in states: some Sequence<RecordState>) -> Set<ConflictSignature> {
        var result = Set<ConflictSignature>()
        for state in states where !state.isDeleted {
            for field in state.conflictedFields {
                result.insert(
                    ConflictSignature(
                        id: ConflictReport.id(type: state.type, record: state.id, field: field), recordType: state.type,
                        recordID: state.id, field: field, sides: state.fields[field]!.versions.map(\.dot)))
            }
        }
        return result
    }

    /// Problems with this replica on its own: a kept digest or conflict index out of step with its records.
    var selfConsistencyProblems: [String] {
        var problems: [String] = []
        if digest != recomputedDigest {
            problems.append("\(name): kept digest \(digest) differs from the recomputed \(recomputedDigest)")
        }
        let expected = Self.conflicts(in: states.values)
        if conflicts != expected {
            let missing = expected.subtracting(conflicts).map(\.description).sorted()
            let extra = conflicts.subtracting(expected).map(\.description).sorted()
            problems.append(
                "\(name): conflict reports differ from the records' conflicted fields; missing \(missing), extra \(extra)"
            )
        }
        if conflictRows != expected.count {
            problems.append(
                "\(name): the open-conflict index has \(conflictRows) rows for \(expected.count) conflicted fields")
        }
        return problems
    }
}
