public import NIOCore
import SyncCore

extension WireCodec {
    /// The body of `GET /v1/changes`.
    public static func encode(_ response: PullResponse) -> ByteBuffer {
        var writer = ChangeWriter(reservingCapacity: 256 + response.changes.count * bytesPerChange)
        writer.json.writeRaw("{")
        if let since = response.since {
            writer.json.writeRaw("\"since\":")
            writer.json.writeInteger(since)
            writer.json.write(",")
        }
        writer.json.writeRaw("\"changes\":")
        writer.write(response.changes)
        writer.json.writeRaw(",\"nextCursor\":")
        writer.json.writeInteger(response.nextCursor)
        writer.json.writeRaw(",\"hasMore\":")
        writer.json.writeBool(response.hasMore)
        writer.json.writeRaw(",\"digest\":")
        writer.json.writeString(response.digest)
        writer.json.writeRaw(",\"nodes\":{")
        for (index, node) in response.nodes.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { writer.json.write(",") }
            writer.json.writeString(node.key)
            writer.json.write(":")
            writer.json.writeString(node.value)
        }
        writer.json.writeRaw("},\"serverTime\":")
        writer.json.writeInteger(response.serverTime)
        if let stable = response.stable {
            writer.json.writeRaw(",\"stable\":{")
            for (index, entry) in stable.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { writer.json.write(",") }
                writer.json.writeString(entry.key)
                writer.json.write(":")
                writer.json.writeInteger(Int64(clamping: entry.value))
            }
            writer.json.write("}")
        }
        writer.json.write("}")
        return ByteBuffer(bytes: writer.json.bytes)
    }

    /// A `GET /v1/changes` answer whose changes are all checked as `WireChange.recordState()` checks.
    public static func decodePullResponse(_ body: ByteBuffer) throws(WireDecodingError) -> PullResponse {
        try read(body) { (changes: inout ChangeReader) throws(WireJSONError) -> PullResponse in
            var states: [RecordState]?
            var nextCursor: Int64?
            var hasMore: Bool?
            var digest: String?
            var nodes: [String: String]?
            var serverTime: Int64?
            var stable: [String: UInt64]?
            var since: Int64?
            var object = try changes.reader.beginObject("a PullResponse (an object)")
            while try changes.reader.nextMember(&object) {
                guard let member = try changes.reader.readMemberName(in: pullMembers) else {
                    try changes.reader.skipValue()
                    continue
                }
                do throws(WireJSONError) {
                    switch member {
                    case .changes: states = try changes.readChanges()
                    case .nextCursor: nextCursor = try changes.reader.readInt64("a cursor (an integer)")
                    case .hasMore: hasMore = try changes.reader.readBool()
                    case .digest: digest = try changes.reader.readString()
                    case .nodes: nodes = try readNodeNames(&changes.reader)
                    case .serverTime: serverTime = try changes.reader.readInt64("a time (an integer)")
                    case .stable: stable = try readStableVector(&changes.reader)
                    case .since: since = try changes.reader.readInt64("a cursor (an integer)")
                    }
                } catch {
                    throw error.inside(.member(member.rawValue))
                }
            }
            func missing(_ member: PullMember) -> WireJSONError {
                changes.reader.error(.missingMember, "the object lacks its member \"\(member.rawValue)\"")
            }
            guard let states else { throw missing(.changes) }
            guard let nextCursor else { throw missing(.nextCursor) }
            guard let hasMore else { throw missing(.hasMore) }
            guard let digest else { throw missing(.digest) }
            guard let nodes else { throw missing(.nodes) }
            guard let serverTime else { throw missing(.serverTime) }
            return PullResponse(
                changes: states.map(WireChange.init), nextCursor: nextCursor, hasMore: hasMore, digest: digest,
                nodes: nodes, serverTime: serverTime, stable: stable, since: since)
        }
    }

    private enum PullMember: String, CaseIterable, Sendable {
        case changes, nextCursor, hasMore, digest, nodes, serverTime, stable, since
    }
    private static let pullMembers = JSONMemberNames<PullMember>()

    /// `{writerId: counter}`.
    private static func readStableVector(_ reader: inout JSONReader) throws(WireJSONError) -> [String: UInt64] {
        var vector: [String: UInt64] = [:]
        var object = try reader.beginObject("the stable vector (an object)")
        while try reader.nextMember(&object) {
            let id = try reader.readMapKey()
            do throws(WireJSONError) {
                let counter = try reader.readInt64("a write number (an integer)")
                guard counter >= 0 else { throw reader.error(.outOfRange, "a write number is never negative") }
                vector[id] = UInt64(counter)
            } catch {
                throw error.inside(.member(id))
            }
        }
        return vector
    }

    /// `{nodeId: name}`.
    private static func readNodeNames(_ reader: inout JSONReader) throws(WireJSONError) -> [String: String] {
        var names: [String: String] = [:]
        var object = try reader.beginObject("node names by id (an object)")
        while try reader.nextMember(&object) {
            let id = try reader.readMapKey()
            do {
                names[id] = try reader.readString("a node name (a string)")
            } catch {
                throw error.inside(.member(id))
            }
        }
        return names
    }
}
