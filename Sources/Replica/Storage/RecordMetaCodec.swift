import Foundation
import GRDB
import SyncCore

/// Encodes a record's causal metadata into the compact text of its `_meta` and `_siblings` columns.
///
/// `_meta`: `vector|common|field;field:dot:wall;…` where the vector is `peer.counter` pairs
/// joined by `,`, a dot is `peer.counter` and `peer` is the local index from `PeerDirectory`.
/// `common` (`dot:wall`) is the version most fields share; a field written by it is stored by
/// name alone, any other with its own dot and wall time. Only the shown version of each field
/// is here (its value is in the field's column). The first releases wrote `vector|field:dot:wall;…`
/// with no common part; that form is still read.
///
/// `_siblings` (NULL unless a field has concurrent versions): one `field:dot:wall:value;` per
/// version that is not shown, where value is `n` (null), `i` and a decimal integer, or `t`,
/// the UTF-8 byte length, `,` and the text. Files written before this format hold a JSON
/// array there instead; it is still read.
///
/// Every record read and written goes through here, so both directions work on UTF-8 bytes
/// and never build intermediate strings for numbers.
enum RecordMetaCodec {
    struct ShownVersion {
        var dot: Dot
        var wallTime: Int64
    }

    struct Decoded {
        var vector: VersionVector
        /// The shown version of each field, by field name, in stored (sorted) order.
        var shown: [(name: String, version: ShownVersion)]
    }

    // MARK: _meta

    /// `sortedFields`, when given, are `state.fields` sorted by name (the caller had them sorted).
    static func encode(
        _ state: RecordState, peers: PeerDirectory, _ db: Database,
        sortedFields: [(key: String, value: FieldState)]? = nil
    ) throws -> [UInt8] {
        var lookup = PeerLookup(peers: peers, db: db)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(48 + state.fields.count * 12)
        var first = true
        for entry in state.vector.sortedEntries {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            try appendDot(Dot(node: entry.node, counter: entry.counter), lookup: &lookup, to: &bytes)
        }
        bytes.append(UInt8(ascii: "|"))
        // The common version: a local write gives every field it writes, and the lifecycle
        // field, the same dot and time, so those fields are stored by name alone.
        let common = (state.fields[RecordState.lifecycleField] ?? state.fields.values.first)?.shown
        if let common {
            try appendDot(common.dot, lookup: &lookup, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            DecimalBytes.append(common.wallTime, to: &bytes)
        }
        bytes.append(UInt8(ascii: "|"))
        first = true
        let fields = sortedFields ?? state.fields.sorted(by: { $0.key < $1.key })
        for index in fields.indices {
            if !first { bytes.append(UInt8(ascii: ";")) }
            first = false
            bytes.append(contentsOf: fields[index].key.utf8)
            // Compared in place rather than through a copy of the shown version.
            let versions = fields[index].value.versions
            if let common, versions[0].wallTime == common.wallTime, versions[0].dot == common.dot { continue }
            bytes.append(UInt8(ascii: ":"))
            try appendDot(versions[0].dot, lookup: &lookup, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            DecimalBytes.append(versions[0].wallTime, to: &bytes)
        }
        return bytes
    }

    /// Reads `_meta` in the current form (`vector|common|fields`) or the first releases' form
    /// (`vector|fields`, every field with its own dot and time).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, peers: PeerDirectory, _ db: Database) throws -> Decoded {
        var scanner = ByteScanner(bytes)
        var lookup = PeerLookup(peers: peers, db: db)
        var counters: [NodeID: UInt64] = [:]
        if !scanner.skip(UInt8(ascii: "|")) {
            repeat {
                let dot = try readDot(&scanner, lookup: &lookup)
                counters[dot.node] = dot.counter
            } while scanner.skip(UInt8(ascii: ","))
            guard scanner.skip(UInt8(ascii: "|")) else { throw corrupt() }
        }
        var common: ShownVersion?
        if scanner.remaining.contains(UInt8(ascii: "|")) {
            if !scanner.skip(UInt8(ascii: "|")) {
                let dot = try readDot(&scanner, lookup: &lookup)
                guard scanner.skip(UInt8(ascii: ":")), let wall = scanner.signed(), scanner.skip(UInt8(ascii: "|"))
                else { throw corrupt() }
                common = ShownVersion(dot: dot, wallTime: wall)
            }
        }
        var shown: [(name: String, version: ShownVersion)] = []
        shown.reserveCapacity(16)
        while !scanner.isAtEnd {
            let name = try scanner.name()
            let version: ShownVersion
            if scanner.skip(UInt8(ascii: ":")) {
                let dot = try readDot(&scanner, lookup: &lookup)
                guard scanner.skip(UInt8(ascii: ":")), let wall = scanner.signed() else { throw corrupt() }
                version = ShownVersion(dot: dot, wallTime: wall)
            } else if let common {
                version = common
            } else {
                throw corrupt()
            }
            shown.append((name, version))
            guard scanner.skip(UInt8(ascii: ";")) || scanner.isAtEnd else { throw corrupt() }
        }
        return Decoded(vector: VersionVector(counters), shown: shown)
    }

    // MARK: _siblings

    /// The versions that are not shown, or nil when every field has a single version.
    static func encodeSiblings(_ state: RecordState, peers: PeerDirectory, _ db: Database) throws -> [UInt8]? {
        guard state.fields.values.contains(where: { $0.versions.count > 1 }) else { return nil }
        return try encodeVersions(
            state.fields.lazy.filter { $0.value.versions.count > 1 }.map { ($0.key, $0.value.versions.dropFirst()) },
            peers: peers, db)
    }

    /// Every version of `fields`, in the `_siblings` form: the `_extra` column, which keeps the
    /// fields this build does not declare. Nil when there are none.
    static func encodeExtra(_ fields: [String: FieldState], peers: PeerDirectory, _ db: Database) throws -> [UInt8]? {
        try encodeVersions(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value.versions[...]) }, peers: peers, db)
    }

    private static func encodeVersions(
        _ fields: some Sequence<(String, ArraySlice<FieldVersion>)>, peers: PeerDirectory, _ db: Database
    ) throws -> [UInt8]? {
        var bytes: [UInt8] = []
        var lookup = PeerLookup(peers: peers, db: db)
        for (name, versions) in fields {
            for version in versions {
                bytes.append(contentsOf: name.utf8)
                bytes.append(UInt8(ascii: ":"))
                try appendDot(version.dot, lookup: &lookup, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                DecimalBytes.append(version.wallTime, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                switch version.value {
                case .null:
                    bytes.append(UInt8(ascii: "n"))
                case .integer(let number):
                    bytes.append(UInt8(ascii: "i"))
                    DecimalBytes.append(number, to: &bytes)
                case .text(let text):
                    bytes.append(UInt8(ascii: "t"))
                    DecimalBytes.append(UInt64(text.utf8.count), to: &bytes)
                    bytes.append(UInt8(ascii: ","))
                    bytes.append(contentsOf: text.utf8)
                }
                bytes.append(UInt8(ascii: ";"))
            }
        }
        return bytes.isEmpty ? nil : bytes
    }

    static func decodeSiblings(_ bytes: UnsafeBufferPointer<UInt8>, peers: PeerDirectory, _ db: Database) throws
        -> [String: [FieldVersion]]
    {
        if bytes.first == UInt8(ascii: "[") { return try decodeJSONSiblings(bytes, peers: peers, db) }
        var scanner = ByteScanner(bytes)
        var lookup = PeerLookup(peers: peers, db: db)
        var result: [String: [FieldVersion]] = [:]
        while !scanner.isAtEnd {
            let name = try scanner.text(upTo: UInt8(ascii: ":"))
            let dot = try readDot(&scanner, lookup: &lookup)
            guard scanner.skip(UInt8(ascii: ":")), let wall = scanner.signed(), scanner.skip(UInt8(ascii: ":")) else {
                throw corrupt()
            }
            let value: FieldValue
            if scanner.skip(UInt8(ascii: "n")) {
                value = .null
            } else if scanner.skip(UInt8(ascii: "i")), let number = scanner.signed() {
                value = .integer(number)
            } else if scanner.skip(UInt8(ascii: "t")), let length = scanner.unsigned(), scanner.skip(UInt8(ascii: ","))
            {
                value = .text(try scanner.text(count: Int(clamping: length)))
            } else {
                throw corrupt()
            }
            guard scanner.skip(UInt8(ascii: ";")) else { throw corrupt() }
            result[name, default: []].append(FieldVersion(value: value, dot: dot, wallTime: wall))
        }
        return result
    }

    /// The JSON form of `_siblings` written by the first releases.
    private static func decodeJSONSiblings(_ bytes: UnsafeBufferPointer<UInt8>, peers: PeerDirectory, _ db: Database)
        throws -> [String: [FieldVersion]]
    {
        guard let items = try JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [[String: Any]] else {
            throw corrupt()
        }
        var result: [String: [FieldVersion]] = [:]
        for item in items {
            guard let field = item["f"] as? String, let peer = (item["n"] as? NSNumber)?.int64Value,
                let counter = (item["c"] as? NSNumber)?.uint64Value, let wall = (item["t"] as? NSNumber)?.int64Value
            else { throw corrupt() }
            let value: FieldValue
            switch item["v"] {
            case let text as String: value = .text(text)
            case let number as NSNumber: value = .integer(number.int64Value)
            default: value = .null
            }
            let dot = Dot(node: try peers.node(at: peer, db), counter: counter)
            result[field, default: []].append(FieldVersion(value: value, dot: dot, wallTime: wall))
        }
        return result
    }

    // MARK: Pieces

    private static func appendDot(_ dot: Dot, lookup: inout PeerLookup, to bytes: inout [UInt8]) throws {
        DecimalBytes.append(UInt64(try lookup.index(of: dot.node)), to: &bytes)
        bytes.append(UInt8(ascii: "."))
        DecimalBytes.append(dot.counter, to: &bytes)
    }

    private static func readDot(_ scanner: inout ByteScanner, lookup: inout PeerLookup) throws -> Dot {
        guard let peer = scanner.unsigned(), scanner.skip(UInt8(ascii: ".")), let counter = scanner.unsigned(),
            let index = Int64(exactly: peer)
        else { throw corrupt() }
        return Dot(node: try lookup.node(at: index), counter: counter)
    }

    static func corrupt() -> ReplicaError {
        ReplicaError(.storage, "a record's sync metadata is damaged; run `hearth check`")
    }
}

/// Peer index lookups for one record: nearly every dot of a record names the same one or two
/// nodes, so the last answer is kept instead of asking the shared directory each time.
private struct PeerLookup {
    let peers: PeerDirectory
    let db: Database
    private var lastNode: NodeID?
    private var lastIndex: Int64 = 0

    init(peers: PeerDirectory, db: Database) {
        self.peers = peers
        self.db = db
    }

    mutating func index(of node: NodeID) throws -> Int64 {
        if node == lastNode { return lastIndex }
        lastIndex = try peers.index(of: node, db)
        lastNode = node
        return lastIndex
    }

    mutating func node(at index: Int64) throws -> NodeID {
        if let lastNode, index == lastIndex { return lastNode }
        let node = try peers.node(at: index, db)
        lastNode = node
        lastIndex = index
        return node
    }
}

/// Reads the metadata syntax left to right; every reader returns nil (or throws) on bad input.
private struct ByteScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    mutating func unsigned() -> UInt64? {
        let start = position
        var value: UInt64 = 0
        while position < bytes.count, case 0x30...0x39 = bytes[position] {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[position] - 0x30))
            if overflow1 || overflow2 { return nil }
            value = sum
            position += 1
        }
        return position > start ? value : nil
    }

    mutating func signed() -> Int64? {
        let negative = skip(UInt8(ascii: "-"))
        guard let magnitude = unsigned() else { return nil }
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return Int64(exactly: magnitude)
    }

    var remaining: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[min(position, bytes.count)...])
    }

    /// A field name: the text up to the next `:` or `;` or the end (not consumed).
    mutating func name() throws -> String {
        let start = position
        while position < bytes.count, bytes[position] != UInt8(ascii: ":"), bytes[position] != UInt8(ascii: ";") {
            position += 1
        }
        guard position > start else { throw RecordMetaCodec.corrupt() }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// The text up to `terminator` (consumed, not included).
    mutating func text(upTo terminator: UInt8) throws -> String {
        let start = position
        while position < bytes.count, bytes[position] != terminator { position += 1 }
        guard position < bytes.count, position > start else { throw RecordMetaCodec.corrupt() }
        defer { position += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    mutating func text(count: Int) throws -> String {
        guard count >= 0, bytes.count - position >= count else { throw RecordMetaCodec.corrupt() }
        defer { position += count }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<position + count]), as: UTF8.self)
    }
}
