import Crypto

/// A 128-bit hash of one record's full state, computed from a canonical encoding.
///
/// Canonical: vector entries sorted by node, fields sorted by name, versions sorted by dot,
/// so every replica holding the same state computes the same bytes whatever its insertion order.
/// Every text and number is written with its length in front (`len 0x1F bytes`), so no two
/// different states encode alike. The bytes are part of the stored format (`_hash`) and of the
/// digests replicas compare: never change them.
///
/// Every write hashes the record it stores, so the encoding is written straight into one buffer
/// (big enough for a usual record from the start) and hashed from there.
public enum RecordDigest {
    public static func hash(_ state: RecordState) -> [UInt8] {
        hash(state, sortedFields: state.fields.sorted(by: { $0.key < $1.key }))
    }

    /// `hash(_:)` with `state.fields` already sorted by name, for a caller that needs them
    /// sorted too (a replica storing the record).
    public static func hash(_ state: RecordState, sortedFields fields: [(key: String, value: FieldState)]) -> [UInt8] {
        assert(fields.count == state.fields.count, "sortedFields must be the state's fields")
        var writer = CanonicalWriter(capacity: 256 + 160 * fields.count)
        defer { writer.deallocate() }
        writer.text(state.type)
        writer.text(state.id)
        for entry in state.vector.sortedEntries {
            writer.text(entry.node.rawValue)
            writer.number(entry.counter, negative: false)
        }
        writer.byte(0x1E)
        // Most versions of a record share one dot and wall time (a local write gives them to
        // every field it writes): their encoding is copied from the previous version's.
        var previous: (dot: Dot, wallTime: Int64, start: Int, count: Int)?
        for index in fields.indices {
            writer.text(fields[index].key)
            let versions = fields[index].value.versions
            for version in versions.count == 1 ? versions : versions.sorted(by: { $0.dot < $1.dot }) {
                if let previous, previous.dot == version.dot, previous.wallTime == version.wallTime {
                    writer.repeatBytes(from: previous.start, count: previous.count)
                } else {
                    let start = writer.position
                    writer.text(version.dot.node.rawValue)
                    writer.number(version.dot.counter, negative: false)
                    writer.number(version.wallTime.magnitude, negative: version.wallTime < 0)
                    previous = (version.dot, version.wallTime, start, writer.position - start)
                }
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
        hasher.update(bufferPointer: writer.bytes)
        return hasher.finalize().withUnsafeBytes { [UInt8]($0.prefix(16)) }
    }
}

/// Writes the canonical encoding into a buffer of its own, grown when a piece would not fit.
///
/// Not copyable: it owns its buffer, which `deallocate()` frees.
private struct CanonicalWriter: ~Copyable {
    /// The most bytes a number takes: its spelling's length (at most 2 digits), the `0x1F`
    /// marker, a sign and 20 digits.
    static let numberBound = 2 + 1 + 1 + 20

    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var position = 0

    init(capacity: Int) {
        self.capacity = capacity
        self.base = .allocate(capacity: capacity)
    }

    func deallocate() { base.deallocate() }

    /// The bytes written so far.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: position) }

    /// Makes room for `count` more bytes.
    private mutating func reserve(_ count: Int) {
        guard position + count > capacity else { return }
        let grown = max(2 * capacity, position + count)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        larger.update(from: base, count: position)
        base.deallocate()
        base = larger
        capacity = grown
    }

    /// Writes again the `count` bytes written at `start`.
    mutating func repeatBytes(from start: Int, count: Int) {
        reserve(count)
        (base + position).update(from: base + start, count: count)
        position += count
    }

    mutating func byte(_ value: UInt8) {
        reserve(1)
        base[position] = value
        position += 1
    }

    /// `text` with its length in front.
    mutating func text(_ text: String) {
        let written = text.utf8.withContiguousStorageIfAvailable { bytes in
            append(bytes)
        }
        if written == nil { append(Array(text.utf8)) }
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(21 + bytes.count)
        decimal(UInt64(bytes.count))
        base[position] = 0x1F
        position += 1
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        (base + position).update(from: source, count: bytes.count)
        position += bytes.count
    }

    private mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// A number as `String(number)` would spell it, with that spelling's length in front.
    mutating func number(_ magnitude: UInt64, negative: Bool) {
        reserve(Self.numberBound)
        let digits = DecimalBytes.digitCount(magnitude)
        decimal(UInt64(digits + (negative ? 1 : 0)))
        base[position] = 0x1F
        position += 1
        if negative {
            base[position] = 0x2D
            position += 1
        }
        decimal(magnitude)
    }

    /// The ASCII decimal digits of `value`; the caller has reserved room for them.
    private mutating func decimal(_ value: UInt64) {
        var end = position + DecimalBytes.digitCount(value)
        position = end
        var rest = value
        repeat {
            end -= 1
            base[end] = 0x30 + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        } while rest > 0
    }
}
