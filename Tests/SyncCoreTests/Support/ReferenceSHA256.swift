import Crypto
import Foundation

/// The library routines the reference encodings of `DigestFormatTests` were built on.
enum ReferenceSHA256 {
    static func first16(of bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes).prefix(16))
    }

    /// A UUID's text as Foundation spells it, lowercased.
    static func foundationUUIDText(_ bytes: [UInt8]) -> String {
        var b = bytes
        b[6] = (b[6] & 0x0F) | 0x80
        b[8] = (b[8] & 0x3F) | 0x80
        let uuid = UUID(
            uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
        )
        return uuid.uuidString.lowercased()
    }
}
