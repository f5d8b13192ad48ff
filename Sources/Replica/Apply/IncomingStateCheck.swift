import SyncCore

/// Structural checks on a record state received from elsewhere, before it is merged.
///
/// Only shape is checked here (known fields, well-formed ids, dots covered by the vector, one
/// version per dot, values of the declared kind and length): business rules such as capacity
/// apply to local input, since concurrent edits may break them legitimately and must then be
/// flagged, not dropped. Messages name the record (its checked id), declared fields and limits
/// only: a sender's undeclared names and its values are never quoted back.
enum IncomingStateCheck {
    ///
    /// `keepingValues` (for states pulled from upstream, which checked them by its own, maybe
    /// newer, declarations) does not refuse a value that breaks this build's declaration: it is
    /// kept as sent (opaquely, see `RecordStore.save`) so that an older node never wedges its pull.
    static func validate(_ state: RecordState, type: RecordType, keepingValues: Bool = false) throws(ReplicaError) {
        guard UUIDText.normalise(state.id) == state.id else {
            throw ReplicaError(.invalidInput, "a \(type.name) change has a malformed id; ids are lowercase UUIDs")
        }
        guard !state.vector.isEmpty else {
            throw ReplicaError(.invalidInput, "\(type.name) \(state.id) arrived with an empty version vector")
        }
        for (name, field) in state.fields {
            // A field this build does not declare is kept opaquely for newer nodes (see
            // `RecordTableSQL`): its name must be one a declaration could use, its values are
            // not checked beyond their size.
            let declared = name == RecordState.lifecycleField || type.field(name) != nil
            guard declared || OpaqueTypes.isAcceptableFieldName(name) else {
                throw ReplicaError(
                    .invalidInput,
                    "\(type.name) \(state.id) has a field whose name no declaration could use (letters, digits and _, "
                        + "at most 40)")
            }
            guard !field.versions.isEmpty else {
                throw ReplicaError(.invalidInput, "\(type.name) \(state.id) field \(name) has no versions")
            }
            // A dot names exactly one write: two versions under one dot are a forgery or a bug.
            guard field.versions.count == 1 || Set(field.versions.map(\.dot)).count == field.versions.count else {
                throw ReplicaError(.invalidInput, "\(type.name) \(state.id) repeats a dot in its field \(name)")
            }
            for version in field.versions {
                guard state.vector.contains(version.dot) else {
                    throw ReplicaError(
                        .invalidInput,
                        "\(type.name) \(state.id) field \(name) has a dot its version vector does not cover")
                }
                if !declared {
                    if let text = version.value.text, text.utf8.count > OpaqueTypes.maxKeptValueBytes {
                        throw ReplicaError(
                            .invalidInput,
                            "\(type.name) \(state.id) has a value over \(OpaqueTypes.maxKeptValueBytes) bytes in a field "
                                + "this build does not declare")
                    }
                } else if keepingValues {
                    // Kept whatever its kind, but never over the declared size: that cap is a safety limit.
                    if let problem = type.sizeProblem(with: version.value, field: name) {
                        throw ReplicaError(.invalidInput, "\(type.name) \(state.id) field \(name): \(problem)")
                    }
                } else if let problem = type.problem(with: version.value, field: name) {
                    throw ReplicaError(.invalidInput, "\(type.name) \(state.id) field \(name): \(problem)")
                }
            }
        }
        guard state.fields[RecordState.lifecycleField] != nil else {
            throw ReplicaError(.invalidInput, "\(type.name) \(state.id) arrived without its lifecycle field")
        }
    }
}
