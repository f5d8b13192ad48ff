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
        // The digits go right to left into 20 bytes on the stack, then into the buffer in one copy.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var position = 20
            var rest = value
            while rest > 0 {
                position -= 1
                digits[position] = 0x30 + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[position...]))
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
