/// An order-independent digest of a set of records: the XOR of their record hashes.
///
/// It is kept incrementally: replacing a record XORs out its old hash and XORs in the new one,
/// so the digest of a whole replica costs nothing to read and one hash per write to maintain.
public struct ReplicaDigest: Hashable, Sendable, CustomStringConvertible {
    public private(set) var bytes: [UInt8]

    public init() {
        bytes = Array(repeating: 0, count: 16)
    }

    /// Parses the hex form; nil unless it is 32 hex digits.
    public init?(hex: String) {
        guard hex.utf8.count == 32, hex.utf8.allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }) else {
            return nil
        }
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        bytes = result
    }

    /// Toggles one record hash in or out (XOR is its own inverse).
    public mutating func toggle(_ recordHash: [UInt8]) {
        precondition(recordHash.count >= 16, "a record hash has 16 bytes")
        bytes.withUnsafeMutableBufferPointer { digest in
            recordHash.withUnsafeBufferPointer { hash in
                for i in 0..<16 { digest[i] ^= hash[i] }
            }
        }
    }

    public var hex: String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    public var description: String { hex }
}
