import Foundation
import GRDB
import SyncCore

/// Encodes a record's causal metadata into the compact text of its `_meta` column.
///
/// Format: `vector|field:dot:wall;field:dot:wall…` where the vector is `peer.counter` pairs
/// joined by `,` and a dot is `peer.counter`; `peer` is the local index from `PeerDirectory`.
/// Only the shown version of each field is here (its value is in the field's column); the
/// other concurrent versions, rare, are in `_siblings` as JSON.
enum RecordMetaCodec {
    struct ShownVersion {
        var dot: Dot
        var wallTime: Int64
    }

    static func encode(_ state: RecordState, peers: PeerDirectory, _ db: Database) throws -> String {
        var text = ""
        text.reserveCapacity(64 + state.fields.count * 32)
        var first = true
        for entry in state.vector.sortedEntries {
            if !first { text.append(",") }
            first = false
            text.append(String(try peers.index(of: entry.node, db)))
            text.append(".")
            text.append(String(entry.counter))
        }
        text.append("|")
        first = true
        for name in state.fields.keys.sorted() {
            let shown = state.fields[name]!.shown
            if !first { text.append(";") }
            first = false
            text.append(name)
            text.append(":")
            text.append(String(try peers.index(of: shown.dot.node, db)))
            text.append(".")
            text.append(String(shown.dot.counter))
            text.append(":")
            text.append(String(shown.wallTime))
        }
        return text
    }

    static func decode(_ text: String, peers: PeerDirectory, _ db: Database) throws -> (
        vector: VersionVector, shown: [String: ShownVersion]
    ) {
        let parts = text.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw corrupt() }
        var counters: [NodeID: UInt64] = [:]
        for entry in parts[0].split(separator: ",") {
            let dot = try decodeDot(entry, peers: peers, db)
            counters[dot.node] = dot.counter
        }
        var shown: [String: ShownVersion] = [:]
        for item in parts[1].split(separator: ";") {
            let pieces = item.split(separator: ":")
            guard pieces.count == 3, let wall = Int64(pieces[2]) else { throw corrupt() }
            shown[String(pieces[0])] = ShownVersion(dot: try decodeDot(pieces[1], peers: peers, db), wallTime: wall)
        }
        return (VersionVector(counters), shown)
    }

    private static func decodeDot(_ text: Substring, peers: PeerDirectory, _ db: Database) throws -> Dot {
        guard let dotIndex = text.firstIndex(of: "."), let peer = Int64(text[..<dotIndex]),
            let counter = UInt64(text[text.index(after: dotIndex)...])
        else { throw corrupt() }
        return Dot(node: try peers.node(at: peer, db), counter: counter)
    }

    private static func corrupt() -> ReplicaError {
        ReplicaError(.storage, "a record's sync metadata is damaged; run `hearth check`")
    }

    // MARK: Siblings

    /// The versions that are not shown, as JSON, or nil when every field has a single version.
    static func encodeSiblings(_ state: RecordState, peers: PeerDirectory, _ db: Database) throws -> String? {
        var items: [[String: Any]] = []
        for name in state.fields.keys.sorted() {
            for version in state.fields[name]!.versions.dropFirst() {
                var item: [String: Any] = [
                    "f": name, "n": try peers.index(of: version.dot.node, db),
                    "c": version.dot.counter, "t": version.wallTime,
                ]
                switch version.value {
                case .null: item["v"] = NSNull()
                case .text(let text): item["v"] = text
                case .integer(let number): item["v"] = number
                }
                items.append(item)
            }
        }
        if items.isEmpty { return nil }
        let data = try JSONSerialization.data(withJSONObject: items, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeSiblings(_ text: String, peers: PeerDirectory, _ db: Database) throws -> [String: [FieldVersion]]
    {
        guard let items = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else {
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
}
