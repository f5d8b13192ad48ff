import Crypto
import Foundation

/// A node's secret bearer token: `hth_<token id>_<secret>`.
///
/// The server keeps only the token id (to find the row) and SHA-256 of the secret, and
/// compares hashes in constant time, so a stolen database does not reveal working tokens.
public struct NodeToken: Sendable {
    public var tokenID: String
    var secret: String

    public var text: String { "hth_\(tokenID)_\(secret)" }

    public static func generate() -> NodeToken {
        var generator = SystemRandomNumberGenerator()
        func hex(_ count: Int) -> String {
            (0..<count).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        }
        return NodeToken(tokenID: hex(8), secret: hex(32))
    }

    init(tokenID: String, secret: String) {
        self.tokenID = tokenID
        self.secret = secret
    }

    /// Parses a presented token; nil if it does not have the token shape.
    public init?(parsing text: String) {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "hth", parts[1].count == 16, parts[2].count == 64 else { return nil }
        tokenID = String(parts[1])
        secret = String(parts[2])
    }

    public var secretHash: [UInt8] { Array(SHA256.hash(data: Array(secret.utf8))) }

    /// Compares two hashes without stopping at the first difference (no timing oracle).
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
