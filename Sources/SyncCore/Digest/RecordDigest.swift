import Crypto

/// A 128-bit hash of one record's full state, computed from a canonical encoding.
///
/// Canonical: vector entries sorted by node, fields sorted by name, versions sorted by dot,
/// so every replica holding the same state computes the same bytes whatever its insertion order.
public enum RecordDigest {
    public static func hash(_ state: RecordState) -> [UInt8] {
        var hasher = SHA256()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        append(state.type, to: &buffer)
        append(state.id, to: &buffer)
        for entry in state.vector.sortedEntries {
            append(entry.node.rawValue, to: &buffer)
            append(String(entry.counter), to: &buffer)
        }
        buffer.append(0x1E)
        for name in state.fields.keys.sorted() {
            append(name, to: &buffer)
            for version in state.fields[name]!.versions.sorted(by: { $0.dot < $1.dot }) {
                append(version.dot.node.rawValue, to: &buffer)
                append(String(version.dot.counter), to: &buffer)
                append(String(version.wallTime), to: &buffer)
                switch version.value {
                case .null: buffer.append(0x30)
                case .text(let text):
                    buffer.append(0x31)
                    append(text, to: &buffer)
                case .integer(let number):
                    buffer.append(0x32)
                    append(String(number), to: &buffer)
                }
            }
            buffer.append(0x1E)
        }
        hasher.update(data: buffer)
        return Array(hasher.finalize().prefix(16))
    }

    /// Appends `text` with its length in front, so no two different sequences encode alike.
    private static func append(_ text: String, to buffer: inout [UInt8]) {
        let bytes = text.utf8
        buffer.append(contentsOf: String(bytes.count).utf8)
        buffer.append(0x1F)
        buffer.append(contentsOf: bytes)
    }
}
