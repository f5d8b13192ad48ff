/// The rules by which every replica forgets deleted records, computed alike everywhere.
///
/// The server keeps a **stable vector**: for each writer identity, a write number such that every
/// registered, non-revoked node has seen every write of that writer up to it (causal stability:
/// the minimum of what all nodes acknowledged; PROTOCOL.md §22). It only grows, and every replica
/// learns it from the server.
///
/// - A tombstone whose whole history is stable can be collected: every node holds it (or a
///   newer state of the record), so nothing can meet the record again without having seen the
///   delete.
/// - A state that arrives for a record a replica does not hold, carrying versions under stable
///   dots, meets a record that was collected: those versions were erased by the delete everyone
///   has seen. They are dropped; what remains are writes made without seeing the delete (a
///   restored laptop's edit), which keep the record alive with only the fields they wrote. A
///   state with nothing left is a zombie and is dropped whole.
public enum TombstoneCollection {
    /// True when `state` is a tombstone whose whole history `stable` covers.
    public static func isCollectable(_ state: RecordState, stable: VersionVector) -> Bool {
        state.isDeleted && !stable.isEmpty && state.vector.isDominated(by: stable)
    }

    /// `state` without the versions under stable dots, or nil when nothing else is left.
    ///
    /// For a state of a record the receiver does not hold (see the type's description). The
    /// vector is kept whole: it only says what the writers had seen, and keeping it lets every
    /// replica tell later states of the record apart as before.
    public static func strippingStable(_ state: RecordState, stable: VersionVector) -> RecordState? {
        guard !stable.isEmpty else { return state }
        var stripped = RecordState(type: state.type, id: state.id, vector: state.vector)
        for (name, field) in state.fields {
            let fresh = field.versions.filter { !stable.contains($0.dot) }
            if !fresh.isEmpty { stripped.fields[name] = FieldState(field: name, versions: fresh) }
        }
        return stripped.fields.isEmpty ? nil : stripped
    }

    /// True when a state of a record the receiver does not hold is only history everyone has
    /// seen: the record was collected, and the state is a zombie of it.
    public static func isZombie(_ state: RecordState, stable: VersionVector) -> Bool {
        !stable.isEmpty && state.vector.isDominated(by: stable)
    }
}
