import SyncCore

/// Writes changes (PROTOCOL.md §6) as JSON, from a `RecordState` directly or from wire members.
///
/// Members appear in the order `JSONEncoder` gives the `Codable` types (`type`, `id`, `vector`,
/// `fields`; `value`, `node`, `counter`, `at`); vector entries and fields are sorted by key, so
/// equal changes encode to equal bytes (stable tests, and gzip finds more repeats). A field's
/// versions keep their order: winner first, as servers send them.
struct ChangeWriter {
    var json: JSONWriter
    /// Scratch for sorting, reused from change to change so that sorting allocates nothing.
    private var fields: [(name: String, state: FieldState)] = []
    private var vector: [(node: NodeID, counter: UInt64)] = []

    init(reservingCapacity capacity: Int) {
        json = JSONWriter(reservingCapacity: capacity)
    }

    /// `[change, …]`.
    mutating func write(_ changes: [WireChange]) {
        json.write("[")
        for (index, change) in changes.enumerated() {
            if index > 0 { json.write(",") }
            switch change.content {
            case .state(let state): write(state)
            case .members(let members): write(members)
            }
        }
        json.write("]")
    }

    mutating func write(_ state: RecordState) {
        writeHeader(type: state.type, id: state.id)

        vector.removeAll(keepingCapacity: true)
        vector.append(contentsOf: state.vector.counters.lazy.map { (node: $0.key, counter: $0.value) })
        vector.sort { $0.node < $1.node }
        json.writeRaw(",\"vector\":{")
        for (index, entry) in vector.enumerated() {
            if index > 0 { json.write(",") }
            json.writeString(entry.node.rawValue)
            json.write(":")
            json.writeInteger(entry.counter)
        }

        fields.removeAll(keepingCapacity: true)
        fields.append(contentsOf: state.fields.lazy.map { (name: $0.key, state: $0.value) })
        fields.sort { $0.name < $1.name }
        json.writeRaw("},\"fields\":{")
        for (index, field) in fields.enumerated() {
            if index > 0 { json.write(",") }
            json.writeString(field.name)
            json.writeRaw(":[")
            for (position, version) in field.state.versions.enumerated() {
                if position > 0 { json.write(",") }
                writeVersion(
                    value: version.value, node: version.dot.node.rawValue, counter: version.dot.counter,
                    at: version.wallTime)
            }
            json.write("]")
        }
        json.writeRaw("}}")
    }

    /// The same JSON from the members of a change decoded with `Codable` or built by hand.
    private mutating func write(_ members: WireChange.Members) {
        writeHeader(type: members.type, id: members.id)
        json.writeRaw(",\"vector\":{")
        for (index, entry) in members.vector.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { json.write(",") }
            json.writeString(entry.key)
            json.write(":")
            json.writeInteger(entry.value)
        }
        json.writeRaw("},\"fields\":{")
        for (index, field) in members.fields.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { json.write(",") }
            json.writeString(field.key)
            json.writeRaw(":[")
            for (position, version) in field.value.enumerated() {
                if position > 0 { json.write(",") }
                writeVersion(value: version.value.value, node: version.node, counter: version.counter, at: version.at)
            }
            json.write("]")
        }
        json.writeRaw("}}")
    }

    private mutating func writeHeader(type: String, id: String) {
        json.writeRaw("{\"type\":")
        json.writeString(type)
        json.writeRaw(",\"id\":")
        json.writeString(id)
    }

    private mutating func writeVersion(value: FieldValue, node: String, counter: UInt64, at: Int64) {
        json.writeRaw("{\"value\":")
        switch value {
        case .null: json.writeNull()
        case .text(let text): json.writeString(text)
        case .integer(let number): json.writeInteger(number)
        }
        json.writeRaw(",\"node\":")
        json.writeString(node)
        json.writeRaw(",\"counter\":")
        json.writeInteger(counter)
        json.writeRaw(",\"at\":")
        json.writeInteger(at)
        json.write("}")
    }
}
