import SyncCore

/// Structural checks on a record state received from elsewhere, before it is merged.
///
/// Only shape is checked here (known fields, well-formed ids, dots covered by the vector):
/// business rules such as capacity apply to local input, since concurrent edits may break
/// them legitimately and must then be flagged, not dropped.
enum IncomingStateCheck {
    static func validate(_ state: RecordState, type: RecordType) throws(ReplicaError) {
        guard UUIDText.normalise(state.id) == state.id else {
            throw ReplicaError(.invalidInput, "a \(type.name) change has a malformed id; ids are lowercase UUIDs")
        }
        guard !state.vector.isEmpty else {
            throw ReplicaError(.invalidInput, "\(type.name) \(state.id) arrived with an empty version vector")
        }
        for (name, field) in state.fields {
            guard name == RecordState.lifecycleField || type.field(name) != nil else {
                throw ReplicaError(
                    .invalidInput,
                    "\(type.name) \(state.id) has an undeclared field '\(name)'; is the sender a newer Hearth?")
            }
            guard !field.versions.isEmpty else {
                throw ReplicaError(.invalidInput, "\(type.name) \(state.id) field \(name) has no versions")
            }
            for version in field.versions {
                guard state.vector.contains(version.dot) else {
                    throw ReplicaError(
                        .invalidInput,
                        "\(type.name) \(state.id) field \(name) has a dot its version vector does not cover")
                }
                if let problem = type.problem(with: version.value, field: name) {
                    throw ReplicaError(.invalidInput, "\(type.name) \(state.id) field \(name): \(problem)")
                }
            }
        }
        guard let lifecycle = state.fields[RecordState.lifecycleField] else {
            throw ReplicaError(.invalidInput, "\(type.name) \(state.id) arrived without its lifecycle field")
        }
        guard lifecycle.versions.count == 1 || Set(lifecycle.versions.map(\.dot)).count == lifecycle.versions.count
        else {
            throw ReplicaError(.invalidInput, "\(type.name) \(state.id) repeats a dot in its lifecycle field")
        }
    }
}
