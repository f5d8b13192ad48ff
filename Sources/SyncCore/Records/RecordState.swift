/// Everything a replica holds about one record: its version vector and every field's versions.
///
/// Records are state-based: a change on the wire is a record's whole state, and merging two
/// states is a join (commutative, associative, idempotent), so delivery order, duplicates and
/// lost messages cannot make replicas diverge. Deletion is the lifecycle field set to 1 (a
/// tombstone that keeps its vector), so deletes merge like any other write.
public struct RecordState: Hashable, Sendable {
    /// The reserved field that says whether the record is deleted (1) or alive (0).
    public static let lifecycleField = "_deleted"
    public static let alive = FieldValue.integer(0)
    public static let deleted = FieldValue.integer(1)

    public var type: String
    public var id: String
    public var vector: VersionVector
    public var fields: [String: FieldState]

    public init(type: String, id: String, vector: VersionVector = .empty, fields: [String: FieldState] = [:]) {
        self.type = type
        self.id = id
        self.vector = vector
        self.fields = fields
    }

    /// The shown value of `field`, or null when it was never written.
    public func value(_ field: String) -> FieldValue {
        fields[field]?.shown.value ?? .null
    }

    public var isDeleted: Bool { value(Self.lifecycleField) == Self.deleted }

    /// Fields whose concurrent versions disagree, sorted by name.
    public var conflictedFields: [String] {
        guard fields.values.contains(where: \.isConflicted) else { return [] }
        return fields.filter { $0.value.isConflicted }.map(\.key).sorted()
    }

    /// The shown values of the declared fields (the lifecycle field left out).
    public var shownValues: [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        values.reserveCapacity(fields.count)
        for (name, state) in fields where name != Self.lifecycleField {
            values[name] = state.shown.value
        }
        return values
    }

    /// Every dot this state mentions: its vector's entries as dots, and each field version's dot.
    public var mentionedDots: [Dot] {
        var dots = vector.sortedEntries.map { Dot(node: $0.node, counter: $0.counter) }
        for state in fields.values { dots.append(contentsOf: state.versions.map(\.dot)) }
        return dots
    }
}
