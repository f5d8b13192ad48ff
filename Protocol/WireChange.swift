public import SyncCore

/// One record's full state on the wire: the unit of every change set.
///
/// ```json
/// {"type": "member", "id": "4f0c…", "vector": {"9a1e…": 2, "c07b…": 1},
///  "fields": {"phone": [{"value": "13800000000", "node": "c07b…", "counter": 1, "at": 1764050000000}]}}
/// ```
public struct WireChange: Codable, Sendable, Hashable {
    /// One surviving version of a field: the value and the dot (node, counter) that wrote it.
    public struct Version: Codable, Sendable, Hashable {
        public var value: WireValue
        public var node: String
        public var counter: UInt64
        /// Milliseconds since 1970 on the writer's clock: display only.
        public var at: Int64
    }

    public var type: String
    public var id: String
    public var vector: [String: UInt64]
    public var fields: [String: [Version]]

    public init(_ state: RecordState) {
        type = state.type
        id = state.id
        vector = Dictionary(uniqueKeysWithValues: state.vector.sortedEntries.map { ($0.node.rawValue, $0.counter) })
        fields = state.fields.mapValues { field in
            field.versions.map {
                Version(
                    value: WireValue($0.value), node: $0.dot.node.rawValue, counter: $0.dot.counter, at: $0.wallTime)
            }
        }
    }

    /// The record state this change describes; throws `WireFormatError` when ids are malformed.
    public func recordState() throws(WireFormatError) -> RecordState {
        guard let recordID = UUIDText.normalise(id) else {
            throw WireFormatError("change for \(type) has a malformed id")
        }
        var counters: [NodeID: UInt64] = [:]
        for (node, counter) in vector {
            guard let nodeID = NodeID(node) else {
                throw WireFormatError("change \(recordID) has a malformed node id in its vector")
            }
            counters[nodeID] = counter
        }
        var state = RecordState(type: type, id: recordID, vector: VersionVector(counters))
        for (name, versions) in fields {
            var parsed: [FieldVersion] = []
            for version in versions {
                guard let node = NodeID(version.node), version.counter > 0 else {
                    throw WireFormatError("change \(recordID) field \(name) has a malformed dot")
                }
                parsed.append(
                    FieldVersion(
                        value: version.value.value, dot: Dot(node: node, counter: version.counter), wallTime: version.at
                    ))
            }
            guard !parsed.isEmpty else { throw WireFormatError("change \(recordID) field \(name) has no versions") }
            state.fields[name] = FieldState(field: name, versions: parsed)
        }
        return state
    }
}

/// A request body that parsed as JSON but does not describe valid changes.
public struct WireFormatError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
