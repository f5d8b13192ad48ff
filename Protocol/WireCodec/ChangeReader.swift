import SyncCore

/// Reads changes (PROTOCOL.md §6) from JSON straight into validated `RecordState`s.
///
/// Makes the checks of `WireChange.recordState()`, with the same messages, without building the
/// wire dictionaries in between. A change that is well-formed JSON but breaks those checks does
/// not stop the reading: a body that is not JSON of the right shape is refused as 400 whatever
/// else it holds, so the rest must still be read, and only then is the first invalid change
/// (`firstInvalid`) reported, as 422.
struct ChangeReader {
    enum ChangeMember: String, CaseIterable, Sendable { case type, id, vector, fields }
    enum VersionMember: String, CaseIterable, Sendable { case value, node, counter, at }
    static let changeMembers = JSONMemberNames<ChangeMember>()
    static let versionMembers = JSONMemberNames<VersionMember>()

    /// Why a field is invalid, in the order `recordState()` checks.
    private enum FieldProblem { case malformedDot, noVersions }

    var reader: JSONReader
    /// The first change, in body order, that breaks the rules of §6.
    private(set) var firstInvalid: WireFormatError?
    /// Node ids met lately. A page names a handful of nodes in every dot, so reusing their
    /// `NodeID` saves a string allocation per dot; a small list beats hashing here.
    private var recentNodes: [NodeID] = []
    private var nextEviction = 0
    /// How many fields the previous change had, to size the next one's dictionary.
    private var typicalFieldCount = 8

    init(_ reader: JSONReader) {
        self.reader = reader
    }

    /// An array of changes; the invalid ones are left out (and noted in `firstInvalid`).
    mutating func readChanges() throws(WireJSONError) -> [RecordState] {
        var states: [RecordState] = []
        var array = try reader.beginArray("an array of changes")
        while try reader.nextElement(&array) {
            do {
                if let state = try readChange() { states.append(state) }
            } catch {
                throw error.inside(.index(array.index))
            }
        }
        return states
    }

    /// One change, or nil when it breaks the rules of §6.
    mutating func readChange() throws(WireJSONError) -> RecordState? {
        var type: String?
        var id: String?
        var vector: (counters: [NodeID: UInt64], isValid: Bool)?
        var fields: (states: [String: FieldState], problems: [(field: String, problem: FieldProblem)])?
        var object = try reader.beginObject("a change (an object)")
        while try reader.nextMember(&object) {
            guard let member = try reader.readMemberName(in: Self.changeMembers) else {
                try reader.skipValue()
                continue
            }
            do {
                switch member {
                case .type: type = try reader.readString()
                case .id: id = try reader.readString()
                case .vector: vector = try readVector()
                case .fields: fields = try readFields()
                }
            } catch {
                throw error.inside(.member(member.rawValue))
            }
        }
        guard let type else { throw missing("type") }
        guard let id else { throw missing("id") }
        guard let vector else { throw missing("vector") }
        guard let fields else { throw missing("fields") }

        guard let recordID = UUIDText.normalise(id) else { return invalid(.malformedID(type: type)) }
        guard vector.isValid else { return invalid(.malformedVectorNode(record: recordID)) }
        if let first = fields.problems.first {
            switch first.problem {
            case .malformedDot: return invalid(.malformedDot(record: recordID, field: first.field))
            case .noVersions: return invalid(.noVersions(record: recordID, field: first.field))
            }
        }
        return RecordState(type: type, id: recordID, vector: VersionVector(vector.counters), fields: fields.states)
    }

    private mutating func invalid(_ error: WireFormatError) -> RecordState? {
        if firstInvalid == nil { firstInvalid = error }
        return nil
    }

    private func missing(_ member: String) -> WireJSONError {
        reader.error(.missingMember, "the object lacks its member \"\(member)\"")
    }

    /// `{nodeId: counter}`; `isValid` is false when a node id is not a UUID.
    private mutating func readVector() throws(WireJSONError) -> (counters: [NodeID: UInt64], isValid: Bool) {
        var counters: [NodeID: UInt64] = [:]
        var isValid = true
        var object = try reader.beginObject("a version vector (an object)")
        while try reader.nextMember(&object) {
            let name = try reader.scanString()
            try reader.consumeColon()
            let node = try nodeID(name)
            do {
                let counter = try reader.readUInt64("a counter (an integer)")
                if let node { counters[node] = counter } else { isValid = false }
            } catch {
                var key = ""
                if let node {
                    key = node.rawValue
                } else if let text = try? reader.string(name) {
                    key = text
                }
                throw error.inside(.member(key))
            }
        }
        return (counters, isValid)
    }

    /// `{name: [version]}`. A name given twice counts once, the last time. (`JSONDecoder` keeps the
    /// first; conforming senders never repeat a name.)
    private mutating func readFields() throws(WireJSONError) -> (
        states: [String: FieldState], problems: [(field: String, problem: FieldProblem)]
    ) {
        var states = [String: FieldState](minimumCapacity: typicalFieldCount)
        var problems: [(field: String, problem: FieldProblem)] = []
        var object = try reader.beginObject("the fields of a change (an object)")
        while try reader.nextMember(&object) {
            let name = try reader.readMapKey()
            do {
                let (state, problem) = try readVersions(of: name)
                if !problems.isEmpty { problems.removeAll { $0.field == name } }
                if let problem {
                    problems.append((name, problem))
                }
                states[name] = state
            } catch {
                throw error.inside(.member(name))
            }
        }
        typicalFieldCount = states.count
        return (states, problems)
    }

    /// The versions of field `name`, as a `FieldState` unless a problem makes it invalid.
    private mutating func readVersions(of name: String) throws(WireJSONError) -> (FieldState?, FieldProblem?) {
        // Almost every field has one version: keep it out of an array until a second one comes.
        var first: FieldVersion?
        var more: [FieldVersion] = []
        var problem: FieldProblem?
        var array = try reader.beginArray("the versions of a field (an array)")
        while try reader.nextElement(&array) {
            do {
                if let version = try readVersion() {
                    if first == nil { first = version } else { more.append(version) }
                } else {
                    problem = .malformedDot
                }
            } catch {
                throw error.inside(.index(array.index))
            }
        }
        if let problem { return (nil, problem) }
        guard let first else { return (nil, .noVersions) }
        if more.isEmpty { return (FieldState(single: first), nil) }
        more.insert(first, at: 0)
        return (FieldState(field: name, versions: more), nil)
    }

    /// One field version, or nil when its dot is malformed (a node id that is not a UUID, counter 0).
    private mutating func readVersion() throws(WireJSONError) -> FieldVersion? {
        var value: FieldValue?
        var node: NodeID?
        var hasNode = false
        var counter: UInt64?
        var at: Int64?
        var object = try reader.beginObject("a field version (an object)")
        while try reader.nextMember(&object) {
            guard let member = try reader.readMemberName(in: Self.versionMembers) else {
                try reader.skipValue()
                continue
            }
            do {
                switch member {
                case .value: value = try readValue()
                case .node:
                    node = try nodeID(try reader.scanString("a node id (a string)"))
                    hasNode = true
                case .counter: counter = try reader.readUInt64("a counter (an integer)")
                case .at: at = try reader.readInt64("a time (an integer)")
                }
            } catch {
                throw error.inside(.member(member.rawValue))
            }
        }
        guard let value else { throw missing("value") }
        guard hasNode else { throw missing("node") }
        guard let counter else { throw missing("counter") }
        guard let at else { throw missing("at") }
        guard let node, counter > 0 else { return nil }
        return FieldVersion(value: value, dot: Dot(node: node, counter: counter), wallTime: at)
    }

    /// A field value: a string, an integer or null (`WireValue`).
    private mutating func readValue() throws(WireJSONError) -> FieldValue {
        switch try reader.peekKind() {
        case .string: return .text(try reader.readString())
        case .number: return .integer(try reader.readInt64("an integer value"))
        case .null:
            try reader.consumeLiteral("null")
            return .null
        case let other:
            throw reader.error(.typeMismatch, "expected a string, an integer or null, found \(other.phrase)")
        }
    }

    /// The node id a scanned string names, or nil when it is not a UUID.
    private mutating func nodeID(_ name: JSONReader.RawString) throws(WireJSONError) -> NodeID? {
        if !name.hasEscapes, name.count == 36 {
            let bytes = reader.rawBytes(name)
            for node in recentNodes where Self.node(node, is: bytes) { return node }
        }
        guard let node = NodeID(try reader.string(name)) else { return nil }
        if recentNodes.count < 8 {
            recentNodes.append(node)
        } else {
            recentNodes[nextEviction] = node
            nextEviction = (nextEviction + 1) % recentNodes.count
        }
        return node
    }

    private static func node(_ node: NodeID, is bytes: UnsafeRawBufferPointer) -> Bool {
        var text = node.rawValue
        return text.withUTF8 { JSONReader.equal(UnsafeRawBufferPointer($0), bytes) }
    }
}
