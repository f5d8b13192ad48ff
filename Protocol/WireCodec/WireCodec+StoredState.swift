public import NIOCore
public import SyncCore

extension WireCodec {
    /// One record state as the wire's JSON of a change (PROTOCOL.md §6): how a store that keeps
    /// states whole (the PostgreSQL server store) writes them. Equal states give equal bytes.
    public static func encodeState(_ state: RecordState) -> [UInt8] {
        var writer = ChangeWriter(reservingCapacity: bytesPerChange)
        writer.write(state)
        return writer.json.bytes
    }

    /// A state written by `encodeState`, checked as a pushed change is.
    public static func decodeState(_ bytes: ByteBuffer) throws(WireDecodingError) -> RecordState {
        try read(bytes) { (changes: inout ChangeReader) throws(WireJSONError) -> RecordState in
            guard let state = try changes.readChange() else {
                throw changes.reader.error(.missingMember, "a stored state breaks the rules of a change")
            }
            return state
        }
    }
}
