public import NIOCore
public import SyncCore

/// The JSON of the messages that carry changes, written and read by hand.
///
/// `JSONEncoder` and `JSONDecoder` over the `Codable` wire types took about 40% of a sync's CPU.
/// This codec writes and reads the same JSON (PROTOCOL.md §6, §16.3, §16.4) straight between
/// bytes and `RecordState`s, so it interoperates with peers that use `Codable`. Small messages
/// (session, health, errors, `PushResponse`) stay `Codable`.
///
/// Reading refuses what `JSONDecoder` refuses (any JSON error, a missing member, a wrong type) and
/// also integers written with a fraction or exponent (`1.0`, `1e3`), which `JSONDecoder` accepts
/// but PROTOCOL.md §6 refuses: all `WireDecodingError.malformed` (400). It checks changes as
/// `WireChange.recordState()` does (`.invalidChange`, 422) and skips members it does not know.
public enum WireCodec {
    /// The body of `POST /v1/changes`: `{"changes": [change, …]}`.
    public static func encode(_ request: PushRequest) -> ByteBuffer {
        var writer = ChangeWriter(reservingCapacity: 64 + request.changes.count * bytesPerChange)
        writer.json.writeRaw("{\"changes\":")
        writer.write(request.changes)
        writer.json.write("}")
        return ByteBuffer(bytes: writer.json.bytes)
    }

    /// The record states of a `POST /v1/changes` body, checked as `WireChange.recordState()` checks.
    public static func decodePushRequest(_ body: ByteBuffer) throws(WireDecodingError) -> [RecordState] {
        try read(body) { (changes: inout ChangeReader) throws(WireJSONError) -> [RecordState] in
            var states: [RecordState]?
            var object = try changes.reader.beginObject("a PushRequest (an object)")
            while try changes.reader.nextMember(&object) {
                guard try changes.reader.readMemberName(in: pushMembers) != nil else {
                    try changes.reader.skipValue()
                    continue
                }
                do throws(WireJSONError) {
                    states = try changes.readChanges()
                } catch {
                    throw error.inside(.member("changes"))
                }
            }
            guard let states else {
                throw changes.reader.error(.missingMember, "the object lacks its member \"changes\"")
            }
            return states
        }
    }

    private enum PushMember: String, CaseIterable, Sendable { case changes }
    private static let pushMembers = JSONMemberNames<PushMember>()

    /// Room reserved per change when encoding: a member record is about 1,100 bytes of JSON.
    static let bytesPerChange = 1_200

    /// Runs `parse` over the body's bytes, then requires the body to end and all changes to be valid.
    static func read<Message>(
        _ body: ByteBuffer, _ parse: (inout ChangeReader) throws(WireJSONError) -> Message
    ) throws(WireDecodingError) -> Message {
        let result = body.withUnsafeReadableBytes { bytes in
            Result { () throws(WireJSONError) -> (Message, WireFormatError?) in
                var changes = ChangeReader(JSONReader(bytes))
                let message = try parse(&changes)
                try changes.reader.finish()
                return (message, changes.firstInvalid)
            }
        }
        switch result {
        case .failure(let error):
            throw .malformed(error)
        case .success(let (message, invalid)):
            if let invalid { throw .invalidChange(invalid) }
            return message
        }
    }
}
