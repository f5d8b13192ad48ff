import Foundation
import HearthProtocol
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import SyncCore
import Testing

/// Well-formed changes that break PROTOCOL.md §6 are refused as `WireChange.recordState()` refuses them.
struct WireCodecValidationTests {
    static let node = WireCodecMalformedTests.node
    static let recordID = WireCodecMalformedTests.recordID

    /// One change; each argument replaces a part of a valid one.
    static func change(
        id: String = recordID, vector: String = #"{"\#(node)":1}"#,
        name: String = #"[{"value":"张三","node":"\#(node)","counter":1,"at":5}]"#
    ) -> String {
        #"{"type":"member","id":"\#(id)","vector":\#(vector),"fields":{"name":\#(name),"_deleted":[{"value":0,"node":"\#(node)","counter":1,"at":5}]}}"#
    }

    static let invalid: [(String, String)] = [
        ("a record id that is not a UUID", change(id: "member-1")),
        ("a vector node that is not a UUID", change(vector: #"{"\#(node)":1,"node-b":2}"#)),
        ("a dot node that is not a UUID", change(name: #"[{"value":"张三","node":"node-b","counter":1,"at":5}]"#)),
        ("a dot with counter 0", change(name: #"[{"value":"张三","node":"\#(node)","counter":0,"at":5}]"#)),
        ("a field without versions", change(name: "[]")),
    ]

    @Test(arguments: invalid)
    func anInvalidChangeIsRefusedWithTheMessageOfRecordState(_ name: String, _ change: String) throws {
        let body = #"{"changes":[\#(Self.change()),\#(change)]}"#
        let codable = try JSONDecoder().decode(PushRequest.self, from: Data(body.utf8))
        var expected: WireFormatError?
        do {
            _ = try codable.changes[1].recordState()
        } catch {
            expected = error
        }
        let message = try #require(expected?.message, "recordState() accepted \(name)")
        #expect {
            _ = try WireCodec.decodePushRequest(ByteBuffer(string: body))
        } throws: { error in
            guard case .invalidChange(let refusal) = error as? WireDecodingError else { return false }
            return refusal.message == message
        }
        #expect(!message.contains("张三"))
    }

    @Test func aMalformedBodyIsRefusedAsMalformedEvenAfterAnInvalidChange() {
        let malformed = Self.change(name: #"[{"value":"张三","node":"\#(Self.node)","counter":1.5,"at":5}]"#)
        let body = #"{"changes":[\#(Self.change(id: "member-1")),\#(malformed)]}"#
        #expect {
            _ = try WireCodec.decodePushRequest(ByteBuffer(string: body))
        } throws: { error in
            guard case .malformed(let malformed) = error as? WireDecodingError else { return false }
            return malformed.code == .notAnInteger && malformed.path == ".changes[1].fields.name[0].counter"
        }
    }

    @Test func aFieldGivenTwiceCountsTheLastTime() throws {
        let twice = #"[],"name":[{"value":"李四","node":"\#(Self.node)","counter":1,"at":5}]"#
        let states = try WireCodec.decodePushRequest(ByteBuffer(string: #"{"changes":[\#(Self.change(name: twice))]}"#))
        #expect(states.first?.value("name") == .text("李四"))
    }

    @Test func aStateHeldAsItIsIsCheckedLikeTheWireForm() throws {
        let node = NodeID(trusted: Self.node)
        let upper = RecordState(
            type: "member", id: Self.recordID.uppercased(), vector: VersionVector([node: 1]),
            fields: [
                "name": FieldState(single: FieldVersion(value: .null, dot: Dot(node: node, counter: 1), wallTime: 0))
            ])
        #expect(try WireChange(upper).recordState().id == Self.recordID)
        var zero = upper
        zero.fields["name"] = FieldState(
            single: FieldVersion(value: .null, dot: Dot(node: node, counter: 0), wallTime: 0))
        #expect(throws: WireFormatError.self) { try WireChange(zero).recordState() }
        var wrongID = upper
        wrongID.id = "member-1"
        #expect(throws: WireFormatError.self) { try WireChange(wrongID).recordState() }
    }
}
