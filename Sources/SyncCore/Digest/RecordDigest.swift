import Crypto

/// A 128-bit hash of one record's full state, computed from a canonical encoding.
///
/// Canonical: vector entries sorted by node, fields sorted by name, versions sorted by dot,
/// so every replica holding the same state computes the same bytes whatever its insertion order.
/// Every text and number is written with its length in front (`len 0x1F bytes`), so no two
/// different states encode alike. The bytes are part of the stored format (`_hash`) and of the
/// digests replicas compare: never change them.
///
/// Every write hashes the record it stores, so the encoding is written into one buffer sized
/// beforehand (on the stack for a usual record) and hashed from there.
public enum RecordDigest {
    public static func hash(_ state: RecordState) -> [UInt8] {
        hash(state, sortedFields: state.fields.sorted(by: { $0.key < $1.key }))
    }

    /// `hash(_:)` with `state.fields` already sorted by name, for a caller that needs them
    /// sorted too (a replica storing the record).
    public static func hash(_ state: RecordState, sortedFields fields: [(key: String, value: FieldState)]) -> [UInt8] {
        assert(fields.count == state.fields.count, "sortedFields must be the state's fields")
        let entries = state.vector.sortedEntries
        var capacity = 1 + CanonicalWriter.textBound(state.type) + CanonicalWriter.textBound(state.id)
        for entry in entries {
            capacity += CanonicalWriter.textBound(entry.node.rawValue) + CanonicalWriter.numberBound
        }
        for (name, field) in fields {
            capacity += CanonicalWriter.textBound(name) + 1
            for version in field.versions {
                capacity += CanonicalWriter.textBound(version.dot.node.rawValue) + 3 * CanonicalWriter.numberBound + 1
                if case .text(let text) = version.value { capacity += CanonicalWriter.textBound(text) }
            }
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var writer = CanonicalWriter(buffer)
            writer.text(state.type)
            writer.text(state.id)
            for entry in entries {
                writer.text(entry.node.rawValue)
                writer.number(entry.counter, negative: false)
            }
            writer.byte(0x1E)
            for (name, field) in fields {
                writer.text(name)
                let versions = field.versions
                for version in versions.count == 1 ? versions : versions.sorted(by: { $0.dot < $1.dot }) {
                    writer.text(version.dot.node.rawValue)
                    writer.number(version.dot.counter, negative: false)
                    writer.number(version.wallTime.magnitude, negative: version.wallTime < 0)
                    switch version.value {
                    case .null: writer.byte(0x30)
                    case .text(let text):
                        writer.byte(0x31)
                        writer.text(text)
                    case .integer(let number):
                        writer.byte(0x32)
                        writer.number(number.magnitude, negative: number < 0)
                    }
                }
                writer.byte(0x1E)
            }
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer.baseAddress, count: writer.position))
            return hasher.finalize().withUnsafeBytes { [UInt8]($0.prefix(16)) }
        }
    }
}

/// Writes the canonical encoding into a buffer its caller sized with `textBound` and `numberBound`.
private struct CanonicalWriter {
    /// The most bytes a length or a number takes: 20 digits, the `0x1F` marker, a sign, and the
    /// length of the spelling in front (at most 2 digits).
    static let numberBound = 2 + 1 + 1 + 20

    /// The most bytes `text` takes: its length (at most 20 digits), the marker, its UTF-8.
    static func textBound(_ text: String) -> Int { 21 + text.utf8.count }

    let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var position = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    mutating func byte(_ value: UInt8) {
        buffer[position] = value
        position += 1
    }

    /// `text` with its length in front.
    mutating func text(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            decimal(UInt64(bytes.count))
            byte(0x1F)
            guard let source = bytes.baseAddress, bytes.count > 0 else { return }
            (buffer.baseAddress! + position).update(from: source, count: bytes.count)
            position += bytes.count
        }
    }

    /// A number as `String(number)` would spell it, with that spelling's length in front.
    mutating func number(_ magnitude: UInt64, negative: Bool) {
        let digits = DecimalBytes.digitCount(magnitude)
        decimal(UInt64(digits + (negative ? 1 : 0)))
        byte(0x1F)
        if negative { byte(0x2D) }
        var end = position + digits
        position = end
        var rest = magnitude
        repeat {
            end -= 1
            buffer[end] = 0x30 + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        } while rest > 0
    }

    /// The ASCII decimal digits of `value`.
    private mutating func decimal(_ value: UInt64) {
        var end = position + DecimalBytes.digitCount(value)
        position = end
        var rest = value
        repeat {
            end -= 1
            buffer[end] = 0x30 + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        } while rest > 0
    }
}
