/// Decimal numbers written straight into byte buffers, without building a `String` per number.
///
/// Digests, stored metadata and the wire format all spell numbers in ASCII decimal, and they
/// do it for every dot of every record, so this is on every hot path.
public enum DecimalBytes {
    /// Appends the ASCII decimal digits of `value` (as `String(value)` would spell it).
    @inlinable
    public static func append(_ value: UInt64, to buffer: inout [UInt8]) {
        if value < 10 {
            buffer.append(0x30 + UInt8(truncatingIfNeeded: value))
            return
        }
        let count = digitCount(value)
        let end = buffer.count + count
        buffer.append(contentsOf: repeatElement(0x30, count: count))
        buffer.withUnsafeMutableBufferPointer { bytes in
            var position = end
            var rest = value
            while rest > 0 {
                position -= 1
                bytes[position] = 0x30 + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
        }
    }

    /// Appends `value` as `String(value)` would spell it, a minus sign included.
    @inlinable
    public static func append(_ value: Int64, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(0x2D) }
        append(value.magnitude, to: &buffer)
    }

    /// The number of digits of `value` in decimal.
    @inlinable
    public static func digitCount(_ value: UInt64) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }
}
