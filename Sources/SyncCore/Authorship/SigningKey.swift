import Crypto
import Foundation

/// The Ed25519 key pair a node signs its change files with (PROTOCOL.md §23).
///
/// Made when the replica is created and kept in it (mode 0600); its public half is told to the
/// node's upstream at every session, and by a hub to the central office, so that whoever
/// imports a change file can tell which node made it and that not a byte was changed since.
public struct NodeSigningKey: Sendable {
    /// The private key's 32 bytes (Crypto's key types are not `Sendable`; they are made on use).
    private let raw: [UInt8]

    public init() { raw = Array(Curve25519.Signing.PrivateKey().rawRepresentation) }

    /// The key kept as 64 hex digits; nil if that is not what `text` holds.
    public init?(hex text: String) {
        guard let bytes = HexBytes.decode(text, count: 32),
            (try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes)) != nil
        else { return nil }
        raw = bytes
    }

    private var key: Curve25519.Signing.PrivateKey {
        // `raw` was checked when this value was made.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    }

    /// The private key as 64 hex digits, for the replica's settings.
    public var hex: String { HexBytes.encode(raw) }

    public var publicKey: SigningPublicKey { SigningPublicKey(raw: Array(key.publicKey.rawRepresentation)) }

    /// An Ed25519 signature (64 bytes) of `message`.
    public func signature(for message: [UInt8]) throws -> [UInt8] {
        Array(try key.signature(for: message))
    }
}

/// The public half of a `NodeSigningKey`: 64 hex digits on the wire and in registries.
public struct SigningPublicKey: Sendable, Hashable, CustomStringConvertible {
    private let raw: [UInt8]

    init(raw: [UInt8]) { self.raw = raw }

    /// Parses 64 hex digits; nil for anything else (or a point that is not a valid key).
    public init?(hex text: String) {
        guard let bytes = HexBytes.decode(text, count: 32),
            (try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)) != nil
        else { return nil }
        raw = bytes
    }

    public var hex: String { HexBytes.encode(raw) }
    public var description: String { hex }

    /// Whether `signature` is this key's signature of `message`.
    public func verifies(_ signature: [UInt8], of message: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}

/// Lower-case hex text of bytes, and back.
public enum HexBytes {
    public static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of `text` if it is exactly `count` bytes of hex digits (either case).
    public static func decode(_ text: String, count: Int) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count == count * 2 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
