public import Foundation

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
    public static func random() -> String {
        UUID().uuidString.lowercased()
    }

    /// Formats 16 bytes as a UUID string, stamping version 8 (name-based, custom hash) and the RFC variant.
    public static func fromHash(_ bytes: some Sequence<UInt8>) -> String {
        var b = Array(bytes.prefix(16))
        precondition(b.count == 16, "a UUID needs 16 bytes")
        b[6] = (b[6] & 0x0F) | 0x80
        b[8] = (b[8] & 0x3F) | 0x80
        let uuid = UUID(
            uuid: (
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]
            ))
        return uuid.uuidString.lowercased()
    }
}
