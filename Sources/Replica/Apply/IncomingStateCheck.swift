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
                throw ReplicaError(.invalidInput, "\(type.name) \(state.id) has an undeclared field '\(name)'; is the sender a newer Hearth?")
            }
            guard !field.versions.isEmpty else {
                throw ReplicaError(.invalidInput, "\(type.name) \(state.id) field \(name) has no versions")
            }
            for version in field.versions {
                guard state.vector.contains(version.dot) else {
                    throw ReplicaError(.invalidInput, "\(type.name) \(state.id) field \(name) has a dot its version vector does not cover")
                }
                if let problem = problem(with: version.value, field: name, type: type) {
                    throw ReplicaError(.invalidInput, "\(type.name) \(state.id) field \(name): \(problem)")
                }
            }
        }
        guard Set(state.fields[RecordState.lifecycleField]?.versions.map(\.dot) ?? []).count
            == state.fields[RecordState.lifecycleField]?.versions.count
        else {
            throw ReplicaError(.invalidInput, "\(type.name) \(state.id) repeats a dot in its lifecycle field")
        }
        guard state.fields[RecordState.lifecycleField] != nil else {
            throw ReplicaError(.invalidInput, "\(type.name) \(state.id) arrived without its lifecycle field")
        }
    }

    /// Why `value` cannot be a value of `field`, or nil when it can. Types must match exactly:
    /// storing "300" in an integer column would make SQLite coerce it, and the replica would
    /// then hold (and hash) something other than what was sent.
    static func problem(with value: FieldValue, field: String, type: RecordType) -> String? {
        if field == RecordState.lifecycleField {
            return value == RecordState.alive || value == RecordState.deleted ? nil : "the lifecycle field must be 0 or 1"
        }
        guard let spec = type.field(field) else { return "undeclared field" }
        switch (spec.kind, value) {
        case (_, .null):
            return nil
        case (.integer(let minimum), .integer(let number)):
            return number >= minimum ? nil : "must be at least \(minimum)"
        case (.integer, .text):
            return "must be a JSON integer, not a string"
        case (_, .integer):
            return "must be a JSON string, not a number"
        case (.choice(let options), .text(let text)):
            return options.contains(text) ? nil : "must be one of \(options.joined(separator: ", "))"
        case (.reference, .text(let text)):
            return UUIDText.normalise(text) == text ? nil : "must be a lowercase UUID"
        case (.date, .text(let text)), (.timestamp, .text(let text)):
            return ISOTimestamp(parsing: text) == nil ? "must be an ISO 8601 date or time" : nil
        case (.text, .text), (.phone, .text):
            return nil
        }
    }
}
