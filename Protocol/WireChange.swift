public import SyncCore

/// One record's full state on the wire: the unit of every change set.
///
/// ```json
/// {"type": "member", "id": "4f0c…", "vector": {"9a1e…": 2, "c07b…": 1},
///  "fields": {"phone": [{"value": "13800000000", "node": "c07b…", "counter": 1, "at": 1764050000000}]}}
/// ```
///
/// A change holds one of two forms. Made from a `RecordState` (what the sync engine sends) or
/// read by `WireCodec` (already checked), it keeps that state, so the sync path builds no
/// dictionaries of wire strings. Decoded with `Codable`, or once a member is set, it keeps the
/// members as they are on the wire, unchecked until `recordState()`. Both forms of one change
/// are equal and encode to the same JSON.
public struct WireChange: Sendable, Hashable {
    /// One surviving version of a field: the value and the dot (node, counter) that wrote it.
    public struct Version: Codable, Sendable, Hashable {
        public var value: WireValue
        public var node: String
        public var counter: UInt64
        /// Milliseconds since 1970 on the writer's clock: display only.
        public var at: Int64
    }

    /// The members as they appear on the wire.
    struct Members: Sendable, Hashable {
        var type: String
        var id: String
        var vector: [String: UInt64]
        var fields: [String: [Version]]
    }

    enum Content: Sendable {
        case state(RecordState)
        case members(Members)
    }

    var content: Content

    public init(_ state: RecordState) {
        content = .state(state)
    }

    init(members: Members) {
        content = .members(members)
    }

    public var type: String {
        get {
            switch content {
            case .state(let state): state.type
            case .members(let members): members.type
            }
        }
        set {
            var members = self.members
            members.type = newValue
            content = .members(members)
        }
    }

    public var id: String {
        get {
            switch content {
            case .state(let state): state.id
            case .members(let members): members.id
            }
        }
        set {
            var members = self.members
            members.id = newValue
            content = .members(members)
        }
    }

    public var vector: [String: UInt64] {
        get { members.vector }
        set {
            var members = self.members
            members.vector = newValue
            content = .members(members)
        }
    }

    public var fields: [String: [Version]] {
        get { members.fields }
        set {
            var members = self.members
            members.fields = newValue
            content = .members(members)
        }
    }

    /// The wire members, built from the state when the change holds one.
    var members: Members {
        switch content {
        case .members(let members):
            return members
        case .state(let state):
            return Members(
                type: state.type, id: state.id,
                vector: Dictionary(
                    uniqueKeysWithValues: state.vector.sortedEntries.map { ($0.node.rawValue, $0.counter) }),
                fields: state.fields.mapValues { field in
                    field.versions.map {
                        Version(
                            value: WireValue($0.value), node: $0.dot.node.rawValue, counter: $0.dot.counter,
                            at: $0.wallTime)
                    }
                })
        }
    }

    public static func == (lhs: WireChange, rhs: WireChange) -> Bool {
        if case .state(let left) = lhs.content, case .state(let right) = rhs.content { return left == right }
        return lhs.members == rhs.members
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members)
    }
}
