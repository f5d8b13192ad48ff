import Foundation

/// Helpers for UUIDs kept as lowercase text, the form used in storage, on the wire and in the CLI.
public enum UUIDText {
    /// Lowercases a UUID string after checking its shape; nil when it is not a UUID.
    ///
    /// Hot on the sync path (every dot on the wire names a node), so it checks the bytes
    /// itself and returns the very same string when it is already canonical.
    public static func normalise(_ text: String) -> String? {
        let utf8 = text.utf8
        guard utf8.count == 36 else { return nil }
        var hasUppercase = false
        let valid = utf8.withContiguousStorageIfAvailable { bytes in
            for (index, byte) in bytes.enumerated() {
                switch index {
                case 8, 13, 18, 23:
                    if byte != 0x2D { return false }
                default:
                    switch byte {
                    case 0x30...0x39, 0x61...0x66: continue
                    case 0x41...0x46: hasUppercase = true
                    default: return false
                    }
                }
            }
            return true
        }
        if valid == nil {
            // Not contiguous (a bridged string): take the slow, general path.
            guard let uuid = UUID(uuidString: text) else { return nil }
            return uuid.uuidString.lowercased()
        }
        guard valid == true else { return nil }
        return hasUppercase ? text.lowercased() : text
    }

    /// A new random (version 4) UUID as lowercase text.
    ///
    /// Every insert calls this, so it formats the bytes itself: Foundation's `UUID()` plus
    /// `lowercased()` cost more than the rest of building a record.
    public static func random() -> String {
        let (first, second) = RandomBytes.take16()
        return withUnsafeBytes(of: (first, second)) { random in
            format { index in
                switch index {
                case 6: (random[6] & 0x0F) | 0x40
                case 8: (random[8] & 0x3F) | 0x80
                default: random[index]
                }
            }
        }
    }

    /// Formats 16 bytes as a UUID string, stamping version 8 (name-based, custom hash) and the RFC variant.
    public static func fromHash(_ bytes: some Sequence<UInt8>) -> String {
        var b = Array(bytes.prefix(16))
        precondition(b.count == 16, "a UUID needs 16 bytes")
        b[6] = (b[6] & 0x0F) | 0x80
        b[8] = (b[8] & 0x3F) | 0x80
        return format { b[$0] }
    }

    /// 16 bytes as lowercase `8-4-4-4-12` hex text.
    /// The 16 bytes `byte(0)` to `byte(15)` as UUID text.
    private static func format(_ byte: (Int) -> UInt8) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 36) { text in
            var position = 0
            digits.withUTF8Buffer { hex in
                for index in 0..<16 {
                    let byte = byte(index)
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[position] = 0x2D
                        position += 1
                    }
                    text[position] = hex[Int(byte >> 4)]
                    text[position + 1] = hex[Int(byte & 0x0F)]
                    position += 2
                }
            }
            return position
        }
    }
}
