public import SyncCore

extension WireChange {
    /// The record state this change describes; throws `WireFormatError` when ids are malformed.
    ///
    /// Checks what can be checked without the schema (PROTOCOL.md §6): the record id and node ids
    /// are UUIDs, every field has versions, no dot has counter 0. The schema checks come when the
    /// state is merged.
    public func recordState() throws(WireFormatError) -> RecordState {
        switch content {
        case .members(let members): return try Self.recordState(of: members)
        case .state(let state): return try Self.checked(state)
        }
    }

    private static func recordState(of members: Members) throws(WireFormatError) -> RecordState {
        guard let recordID = UUIDText.normalise(members.id) else { throw .malformedID(type: members.type) }
        var counters: [NodeID: UInt64] = [:]
        for (node, counter) in members.vector {
            guard let nodeID = NodeID(node) else { throw .malformedVectorNode(record: recordID) }
            counters[nodeID] = counter
        }
        var state = RecordState(type: members.type, id: recordID, vector: VersionVector(counters))
        for (name, versions) in members.fields {
            var parsed: [FieldVersion] = []
            for version in versions {
                guard let node = NodeID(version.node), version.counter > 0 else {
                    throw .malformedDot(record: recordID, field: name)
                }
                parsed.append(
                    FieldVersion(
                        value: version.value.value, dot: Dot(node: node, counter: version.counter),
                        wallTime: version.at))
            }
            guard !parsed.isEmpty else { throw .noVersions(record: recordID, field: name) }
            state.fields[name] = FieldState(field: name, versions: parsed)
        }
        return state
    }

    /// The same checks on a state held as it is. Its node ids are `NodeID`s, valid by construction.
    private static func checked(_ state: RecordState) throws(WireFormatError) -> RecordState {
        guard let recordID = UUIDText.normalise(state.id) else { throw .malformedID(type: state.type) }
        for (name, field) in state.fields {
            guard !field.versions.isEmpty else { throw .noVersions(record: recordID, field: name) }
            if field.versions.contains(where: { $0.dot.counter == 0 }) {
                throw .malformedDot(record: recordID, field: name)
            }
        }
        var state = state
        state.id = recordID
        return state
    }
}
