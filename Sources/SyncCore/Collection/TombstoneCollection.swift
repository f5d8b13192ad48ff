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

    /// `state` without its versions under `stable` that `held` (the receiver's state of the same
    /// record) does not hold in that field.
    ///
    /// For a record the receiver holds again after collecting it: when it was met again, the
    /// versions under the stable vector were stripped (`strippingStable`), and a sender that never
    /// learned so (the answer saying it was lost) still carries them, even in states it wrote
    /// since. Everyone has seen those versions and the receiver dropped them, so they must not
    /// come back (a later state that has seen everything held would otherwise replace it whole).
    public static func strippingForgotten(_ state: RecordState, held: RecordState, stable: VersionVector)
        -> RecordState
    {
        guard !stable.isEmpty else { return state }
        var kept = state
        for (name, field) in state.fields {
            let heldField = held.fields[name]
            let versions = field.versions.filter { version in
                !stable.contains(version.dot) || (heldField?.contains(version.dot) ?? false)
            }
            guard versions.count != field.versions.count else { continue }
            kept.fields[name] = versions.isEmpty ? nil : FieldState(field: name, versions: versions)
        }
        return kept
    }

    /// True when a state of a record the receiver does not hold is only history everyone has
    /// seen: the record was collected, and the state is a zombie of it.
    public static func isZombie(_ state: RecordState, stable: VersionVector) -> Bool {
        !stable.isEmpty && state.vector.isDominated(by: stable)
    }
}
