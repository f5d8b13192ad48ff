/// The merge function: what a replica holds for a record plus an incoming state gives the new state.
///
/// Pure: no I/O. The replica and the server only load and save around it.
public enum RecordMerge {
    /// How the incoming state related to the local one.
    public enum Outcome: Sendable, Hashable {
        /// The record was unknown here: the incoming state is taken as is.
        case created
        /// Everything incoming was already known here (equal or older vector): nothing changes.
        case alreadyKnown
        /// The incoming state has seen everything held here: it replaces it.
        case fastForward
        /// Both sides wrote without seeing each other: merged field by field.
        case merged
    }

    public struct Result: Sendable, Hashable {
        public var state: RecordState
        public var outcome: Outcome
        /// Fields in conflict after the merge that were not before it.
        public var conflictsOpened: [String]
        /// Fields in conflict before the merge that are no longer.
        public var conflictsClosed: [String]

        /// True when the local state changes.
        public var changesLocalState: Bool { outcome != .alreadyKnown }
    }

    public static func merge(local: RecordState?, incoming: RecordState) -> Result {
        guard let local else {
            return Result(
                state: incoming, outcome: .created, conflictsOpened: incoming.conflictedFields, conflictsClosed: [])
        }
        precondition(local.type == incoming.type && local.id == incoming.id, "merging two different records")
        let merged: RecordState
        let outcome: Outcome
        switch incoming.vector.compare(to: local.vector) {
        case .before:
            return Result(state: local, outcome: .alreadyKnown, conflictsOpened: [], conflictsClosed: [])
        case .equal:
            // The same history: the same state, unless one copy holds an erasure the other has
            // not applied yet (a tombstone written before deleting erased); the join settles it.
            let joined = join(local, incoming)
            guard joined != local else {
                return Result(state: local, outcome: .alreadyKnown, conflictsOpened: [], conflictsClosed: [])
            }
            merged = joined
            outcome = .merged
        case .after:
            merged = incoming
            outcome = .fastForward
        case .concurrent:
            merged = join(local, incoming)
            outcome = .merged
        }
        let before = Set(local.conflictedFields)
        let after = Set(merged.conflictedFields)
        return Result(
            state: merged, outcome: outcome,
            conflictsOpened: after.subtracting(before).sorted(),
            conflictsClosed: before.subtracting(after).sorted())
    }

    /// The least state that has seen everything both sides have (a lattice join).
    ///
    /// A version survives unless the other side has seen its dot and no longer holds it,
    /// which means the other side overwrote it knowingly. A dot held on both sides with a value
    /// on one and null on the other was erased by a delete (`RecordState.erasingValues`): null
    /// wins, so an erasure reaches every copy of the value (per dot, a value is only ever
    /// replaced by null, which makes this a join too).
    public static func join(_ a: RecordState, _ b: RecordState) -> RecordState {
        var result = RecordState(type: a.type, id: a.id, vector: a.vector.merged(with: b.vector))
        for name in Set(a.fields.keys).union(b.fields.keys) {
            let mine = a.fields[name]?.versions ?? []
            let theirs = b.fields[name]?.versions ?? []
            var kept: [FieldVersion] = []
            for version in mine {
                if let same = theirs.first(where: { $0.dot == version.dot }) {
                    kept.append(same.value.isNull ? same : version)
                } else if !b.vector.contains(version.dot) {
                    kept.append(version)
                }
            }
            for version in theirs
            where !mine.contains(where: { $0.dot == version.dot }) && !a.vector.contains(version.dot) {
                kept.append(version)
            }
            if !kept.isEmpty {
                result.fields[name] = FieldState(field: name, versions: kept)
            }
        }
        return result
    }
}
