import Foundation
import GRDB
public import SyncCore

extension ReplicaReader {
    /// Every open conflict on this replica, oldest record first.
    ///
    /// Conflicts on records kept for a newer release (a type this one does not declare) are
    /// listed too: they are open on every replica, and one this node cannot resolve must not keep
    /// it from listing those it can.
    public func conflicts() throws -> [ConflictReport] {
        let rows = try Row.fetchAll(
            db, sql: "SELECT record_type, record_id, field FROM open_conflict ORDER BY record_type, record_id, field")
        let names = try nodeNames()
        // Kept tables another process, or the copy this replica was restored from, created.
        try replica.opaque.refresh(db, declared: replica.catalog)
        return try rows.compactMap { row in
            try report(type: row[0], id: row[1], field: row[2], names: names)
        }
    }

    /// How many fields are in conflict, without building their reports (a sync asks this
    /// every time; the index is kept exact by every write and merge).
    public func openConflictCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM open_conflict") ?? 0
    }

    /// The open conflict with this id (or a unique prefix of it).
    public func conflict(_ id: String) throws -> ConflictReport {
        let matches = try conflicts().filter { $0.id.hasPrefix(id.lowercased()) }
        guard !id.isEmpty, let first = matches.first else {
            throw ReplicaError(
                .notFound,
                "no open conflict with id \(id.prefix(20)) (a deleted record's conflicts are closed with it); "
                    + "list them with `hearth conflicts list`")
        }
        guard matches.count == 1 else {
            throw ReplicaError(.invalidInput, "conflict id \(id) is ambiguous; give more characters")
        }
        return first
    }

    func report(type: String, id: String, field: String, names: [NodeID: String]) throws -> ConflictReport? {
        let recordType = replica.catalog.type(named: type) ?? OpaqueTypes.declaration(type)
        guard let state = try record(recordType, id: id), let fieldState = state.fields[field], fieldState.isConflicted,
            state.openConflictFields.contains(field)
        else { return nil }
        let own = try ownWriters()
        let sides = fieldState.versions.enumerated().map { index, version in
            ConflictReport.Side(
                value: version.value, dot: version.dot,
                nodeName: names[version.dot.node] ?? "node \(version.dot.node.short)",
                wallTime: version.wallTime, isShown: index == 0, isLocal: own.contains(version.dot.node))
        }
        let label = recordType.labelField.map { state.value($0).description }.flatMap { $0.isEmpty ? nil : $0 }
        return ConflictReport(
            id: ConflictReport.id(type: type, record: id, field: field), recordType: type, recordID: id,
            recordLabel: label, field: field, sides: sides, vector: state.vector)
    }
}

/// How staff settle a conflict.
public enum ConflictResolution: Sendable, Hashable {
    /// Keep this replica's side: the version this node wrote, else the one shown here.
    case keepLocal
    /// Keep the other side.
    case keepRemote
    /// Write a new value.
    case value(String)
}

extension ReplicaTransaction {
    /// Resolves a conflict with a new write that has seen every side, so it dominates them all:
    /// once it syncs, the conflict closes on every replica and none raises it again.
    @discardableResult
    public func resolve(_ conflict: ConflictReport, _ resolution: ConflictResolution) throws -> RecordState {
        let type = try replica.catalog.require(conflict.recordType)
        // A report read earlier may be stale: the record may have been deleted since. Writing
        // the field now would bring the deleted record back on every replica.
        if conflict.field != RecordState.lifecycleField, try record(type, id: conflict.recordID)?.isDeleted ?? true {
            throw ReplicaError(
                .refused,
                "\(type.name) \(conflict.recordID) has been deleted, so its conflict on \(conflict.field) is closed "
                    + "with it; nothing was changed")
        }
        let local = conflict.sides.first { $0.isLocal } ?? conflict.shown
        let chosen: FieldValue
        switch resolution {
        case .keepLocal:
            chosen = local.value
        case .keepRemote:
            guard let other = conflict.sides.first(where: { $0.value != local.value }) else {
                throw ReplicaError(.invalidInput, "this conflict has no other side to keep")
            }
            chosen = other.value
        case .value(let text):
            if conflict.field == RecordState.lifecycleField {
                throw ReplicaError(.invalidInput, "a delete conflict is settled with --keep local|remote, not --value")
            }
            chosen = try type.parse(conflict.field, text: text)
        }
        return try write(type, id: conflict.recordID, [conflict.field: chosen], mustExist: false)
    }
}
