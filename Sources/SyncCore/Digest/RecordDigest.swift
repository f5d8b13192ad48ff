import Crypto

/// A 128-bit hash of one record's full state, computed from a canonical encoding.
///
/// Canonical: vector entries sorted by node, fields sorted by name, versions sorted by dot,
/// so every replica holding the same state computes the same bytes whatever its insertion order.
/// Every text and number is written with its length in front (`len 0x1F bytes`), so no two
/// different states encode alike. The bytes are part of the stored format (`_hash`) and of the
/// digests replicas compare: never change them.
public enum RecordDigest {
    public static func hash(_ state: RecordState) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        appendText(state.type, to: &buffer)
        appendText(state.id, to: &buffer)
        for entry in state.vector.sortedEntries {
            appendText(entry.node.rawValue, to: &buffer)
            appendNumber(entry.counter, negative: false, to: &buffer)
        }
        buffer.append(0x1E)
        for (name, field) in state.fields.sorted(by: { $0.key < $1.key }) {
            appendText(name, to: &buffer)
            let versions = field.versions
            for version in versions.count == 1 ? versions : versions.sorted(by: { $0.dot < $1.dot }) {
                appendText(version.dot.node.rawValue, to: &buffer)
                appendNumber(version.dot.counter, negative: false, to: &buffer)
                appendNumber(version.wallTime.magnitude, negative: version.wallTime < 0, to: &buffer)
                switch version.value {
                case .null: buffer.append(0x30)
                case .text(let text):
                    buffer.append(0x31)
                    appendText(text, to: &buffer)
                case .integer(let number):
                    buffer.append(0x32)
                    appendNumber(number.magnitude, negative: number < 0, to: &buffer)
                }
            }
            buffer.append(0x1E)
        }
        return Array(SHA256.hash(data: buffer).prefix(16))
    }

    /// Appends `text` with its length in front.
    private static func appendText(_ text: String, to buffer: inout [UInt8]) {
        let bytes = text.utf8
        DecimalBytes.append(UInt64(bytes.count), to: &buffer)
        buffer.append(0x1F)
        buffer.append(contentsOf: bytes)
    }

    /// Appends a number as `String(number)` would spell it, with that spelling's length in front.
    private static func appendNumber(_ magnitude: UInt64, negative: Bool, to buffer: inout [UInt8]) {
        DecimalBytes.append(UInt64(DecimalBytes.digitCount(magnitude) + (negative ? 1 : 0)), to: &buffer)
        buffer.append(0x1F)
        if negative { buffer.append(0x2D) }
        DecimalBytes.append(magnitude, to: &buffer)
    }
}
