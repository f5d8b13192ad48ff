/// The declaration of a replicated record type: everything generic sync code needs to know.
///
/// Change capture, apply, merge, conflicts and digests are written once over declarations;
/// a new kind of record is a new declaration plus its validation rules, not new sync code.
public struct RecordType: Sendable, Hashable, CustomStringConvertible {
    /// How a new record's id is chosen.
    public enum Identity: Sendable, Hashable {
        /// A random UUID.
        case random
        /// Derived from these fields' values, so two nodes creating the same pair offline
        /// create the same record rather than two.
        case derived(from: [String])
    }

    /// A rule over a whole record's values (for example "ends after starts"), returning a
    /// problem message or nil. Messages must not quote personal data.
    public struct Rule: Sendable {
        public var check: @Sendable ([String: FieldValue]) -> String?
        public init(_ check: @escaping @Sendable ([String: FieldValue]) -> String?) { self.check = check }
    }

    /// The type's name on the wire and in the CLI (`member`), also its table name.
    public var name: String
    public var fields: [FieldSpec]
    public var identity: Identity
    /// Fields matched by `--search`.
    public var searchFields: [String]
    /// The field people recognise a record by (a member's name, an activity's title).
    public var labelField: String?
    /// Fields queried often enough to deserve an index (filters, joins).
    public var indexedFields: [String]
    public var rules: [Rule]

    public init(
        name: String, fields: [FieldSpec], identity: Identity = .random, searchFields: [String] = [],
        labelField: String? = nil, indexedFields: [String] = [], rules: [Rule] = []
    ) {
        self.name = name
        self.fields = fields
        self.identity = identity
        self.searchFields = searchFields
        self.labelField = labelField
        self.indexedFields = indexedFields
        self.rules = rules
    }

    /// The fields a delete leaves unerased: the key fields of a derived identity. The id is made
    /// from them, so keeping them tells nothing the id does not; an id must therefore never be
    /// derived from personal data (names, phones), only from other records' ids and the like.
    public var erasureKeeps: Set<String> {
        if case .derived(let keyFields) = identity { return Set(keyFields) }
        return []
    }

    public func field(_ name: String) -> FieldSpec? {
        fields.first { $0.name == name }
    }

    public var description: String { name }

    public static func == (lhs: RecordType, rhs: RecordType) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
