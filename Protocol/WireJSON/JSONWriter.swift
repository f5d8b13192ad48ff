/// Appends compact JSON to a byte array: the writing half of the wire codec.
///
/// The caller writes the structure (`{`, keys, commas) itself; this type gets the leaves right.
/// Strings are escaped as `JSONEncoder` escapes them (`"`, `\`, and control characters, the
/// common ones as `\n` `\r` `\t` `\b` `\f`, the rest as `\u00XX`), except that `/` is left as
/// it is; everything else, Chinese text and emoji included, is written as raw UTF-8 (PROTOCOL.md
/// §2: text travels byte for byte). Numbers are formatted here, without Foundation.
struct JSONWriter {
    private(set) var bytes: [UInt8]

    init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// One byte of structure: `{`, `}`, `[`, `]`, `:`, `,`.
    mutating func write(_ ascii: Unicode.Scalar) {
        bytes.append(UInt8(ascii: ascii))
    }

    /// Bytes known to need no escaping, such as `"type":` (the caller's own constants).
    mutating func writeRaw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func writeNull() { writeRaw("null") }

    mutating func writeBool(_ value: Bool) { value ? writeRaw("true") : writeRaw("false") }

    /// A JSON string. Runs of bytes that need no escaping are copied in one go.
    mutating func writeString(_ text: String) {
        var text = text
        bytes.append(UInt8(ascii: "\""))
        // Native Swift strings are contiguous UTF-8 already; only a bridged one is copied here.
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                writeEscape(for: byte)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func writeEscape(for byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        default:
            let hex: StaticString = "0123456789abcdef"
            bytes.append(UInt8(ascii: "u"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(UInt8(ascii: "0"))
            hex.withUTF8Buffer { digits in
                bytes.append(digits[Int(byte >> 4)])
                bytes.append(digits[Int(byte & 0x0F)])
            }
        }
    }

    mutating func writeInteger(_ value: Int64) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            // Two's complement negation in UInt64 is exact even for Int64.min.
            writeInteger(0 &- UInt64(bitPattern: value))
        } else {
            writeInteger(UInt64(value))
        }
    }

    mutating func writeInteger(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        // UInt64.max has 20 digits; format them backwards into a stack buffer.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var remaining = value
            var start = 20
            while remaining > 0 {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }
}
