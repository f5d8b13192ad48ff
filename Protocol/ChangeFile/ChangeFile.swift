import Foundation
public import NIOCore
public import SyncCore

/// A change file (PROTOCOL.md §23): record states a node carries to another replica without a
/// network, on a USB stick, signed by the node that made it.
///
/// The bytes are: the magic line `HEARTH-CHANGES\n`; the format version and the header's length
/// (two 32-bit big-endian numbers); the header (JSON: `ChangeFile.Header`); the payload, the
/// gzip of a push body (`{"changes": [WireChange, …]}`, §6); and the Ed25519 signature (64
/// bytes) of everything before it, by the key the header names. `read` checks all of it before
/// anything is decoded, so a cut, altered or unsigned file is refused whole.
public struct ChangeFile: Sendable {
    /// What the header says about the file.
    public struct Header: Codable, Sendable, Hashable {
        /// The node that made and signed the file.
        public var signer: String
        /// The public key (64 hex digits) the file is signed with; the importer checks that it
        /// is one the signer registered.
        public var signingKey: String
        /// When it was made, milliseconds since 1970 on the signer's clock (display only).
        public var createdAt: Int64
        /// The node it was made for (what that node lacked); nil: everything the signer held.
        public var madeFor: String?
        /// How many changes, and the payload's length in bytes.
        public var changes: Int
        public var payloadBytes: Int
        /// The signer's newest write (PROTOCOL.md §16.2), as a push reports it.
        public var lineageWriter: String?
        public var lineageCounter: UInt64?
        public var lineageTag: String?

        public init(
            signer: String, signingKey: String, createdAt: Int64, madeFor: String?, changes: Int, payloadBytes: Int,
            lineageWriter: String?, lineageCounter: UInt64?, lineageTag: String?
        ) {
            self.signer = signer
            self.signingKey = signingKey
            self.createdAt = createdAt
            self.madeFor = madeFor
            self.changes = changes
            self.payloadBytes = payloadBytes
            self.lineageWriter = lineageWriter
            self.lineageCounter = lineageCounter
            self.lineageTag = lineageTag
        }
    }

    public var header: Header
    public var states: [RecordState]

    /// The format this build writes; a file of a higher one was made by a newer Hearth.
    public static let formatVersion: UInt32 = 1
    static let magic = Array("HEARTH-CHANGES\n".utf8)
    static let signatureBytes = 64
    /// The most a payload may inflate to (a file is read whole, in one transaction).
    public static let maxInflatedBytes = 1 << 30

    public init(header: Header, states: [RecordState]) {
        self.header = header
        self.states = states
    }

    /// The file's bytes, signed with `key` (whose public half the header must name).
    public func bytes(signedWith key: NodeSigningKey) throws -> [UInt8] {
        let payload = try BodyCompression.gzip(WireCodec.encode(PushRequest(states: states)))
        var header = self.header
        header.changes = states.count
        header.payloadBytes = payload.readableBytes
        header.signingKey = key.publicKey.hex
        let headerBytes = Array(try JSONEncoder().encode(header))
        var bytes = Self.magic
        bytes += Self.bigEndian(Self.formatVersion)
        bytes += Self.bigEndian(UInt32(headerBytes.count))
        bytes += headerBytes
        bytes += Array(buffer: payload)
        bytes += try key.signature(for: bytes)
        return bytes
    }

    /// Reads and checks a file: its form, its length, its signature by the key its header
    /// names, then its changes. Throws `ChangeFileError` saying what is wrong; nothing of a
    /// file that fails is returned.
    public static func read(_ bytes: [UInt8]) throws(ChangeFileError) -> ChangeFile {
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw ChangeFileError("this is not a Hearth change file (made by `hearth bundle export`)")
        }
        var offset = magic.count
        guard let version = number(bytes, &offset), let headerLength = number(bytes, &offset) else {
            throw .truncated
        }
        guard version <= formatVersion else {
            throw ChangeFileError(
                "this change file was made by a newer Hearth (format \(version); this one reads up to "
                    + "\(formatVersion)); upgrade Hearth here to import it")
        }
        guard version >= 1, headerLength <= 1 << 20 else {
            throw ChangeFileError("this change file is damaged: its header is not readable")
        }
        guard bytes.count >= offset + Int(headerLength) else { throw .truncated }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[offset..<offset + Int(headerLength)]))
        } catch {
            throw ChangeFileError("this change file is damaged: its header is not readable")
        }
        offset += Int(headerLength)
        guard header.payloadBytes >= 0, header.changes >= 0 else {
            throw ChangeFileError("this change file is damaged: its header is not readable")
        }
        let signed = offset + header.payloadBytes
        if bytes.count == signed { throw ChangeFileError("this change file is not signed; it cannot be trusted") }
        guard bytes.count >= signed + signatureBytes else { throw .truncated }
        guard bytes.count == signed + signatureBytes else {
            throw ChangeFileError("this change file has bytes after its signature: it was altered or damaged")
        }
        guard let key = SigningPublicKey(hex: header.signingKey) else {
            throw ChangeFileError("this change file is damaged: it names no valid signing key")
        }
        guard key.verifies(Array(bytes[signed...]), of: Array(bytes[..<signed])) else {
            throw ChangeFileError(
                "this change file's signature does not match its contents: it was altered after it was signed, "
                    + "or damaged; nothing was imported")
        }
        let states: [RecordState]
        do {
            let payload = try BodyCompression.gunzip(
                ByteBuffer(bytes: bytes[offset..<signed]), maxSize: maxInflatedBytes)
            states = try WireCodec.decodePushRequest(payload)
        } catch {
            throw ChangeFileError("this change file is signed but its changes are not readable (\(error))")
        }
        guard states.count == header.changes else {
            throw ChangeFileError("this change file is signed but holds another number of changes than it says")
        }
        return ChangeFile(header: header, states: states)
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    private static func number(_ bytes: [UInt8], _ offset: inout Int) -> UInt32? {
        guard bytes.count >= offset + 4 else { return nil }
        defer { offset += 4 }
        return bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}

/// Why a change file was refused; nothing of it was imported.
public struct ChangeFileError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(_ message: String) { self.message = message }

    static let truncated = ChangeFileError(
        "this change file is cut short (truncated): copy it again from the node that made it; nothing was imported")
}
