import Foundation
import HearthProtocol
import HearthTestSupport
import NIOCore
import NIOFoundationCompat
import SyncCore
import Testing

/// `WireCodec` writes the JSON `Codable` reads and reads the JSON `Codable` writes, byte for byte in the text.
struct WireCodecRoundTripTests {
    @Test(arguments: TestSeeds.cases(20))
    func pushBodiesRoundTripThroughCodable(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let states = WireSamples.states(&random, count: 1 + Int(random.next() % 40))
        let encoded = WireCodec.encode(PushRequest(states: states))

        let viaCodable = try JSONDecoder().decode(PushRequest.self, from: encoded)
        #expect(try viaCodable.changes.map { try $0.recordState() } == states, TestSeeds.comment(seed))
        #expect(viaCodable.changes == states.map(WireChange.init), TestSeeds.comment(seed, "either form compares"))

        let codableJSON = try JSONEncoder().encode(viaCodable)
        let decoded = try WireCodec.decodePushRequest(ByteBuffer(data: codableJSON))
        #expect(decoded == states, TestSeeds.comment(seed))
        // Equal strings may differ in bytes (Swift compares canonically); equal encodings may not.
        #expect(WireCodec.encode(PushRequest(states: decoded)) == encoded, TestSeeds.comment(seed, "bytes kept"))
        #expect(WireCodec.encode(viaCodable) == encoded, TestSeeds.comment(seed, "the wire form encodes alike"))
    }

    @Test(arguments: TestSeeds.cases(20))
    func pullBodiesRoundTripThroughCodable(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let response = WireSamples.pullResponse(&random, count: Int(random.next() % 30))
        let encoded = WireCodec.encode(response)

        let viaCodable = try JSONDecoder().decode(PullResponse.self, from: encoded)
        #expect(Self.equal(viaCodable, response), TestSeeds.comment(seed))

        let decoded = try WireCodec.decodePullResponse(ByteBuffer(data: try JSONEncoder().encode(viaCodable)))
        #expect(Self.equal(decoded, response), TestSeeds.comment(seed))
        #expect(WireCodec.encode(decoded) == encoded, TestSeeds.comment(seed, "bytes kept"))
    }

    @Test(arguments: TestSeeds.cases(10))
    func unicodeEscapesAndSurrogatePairsDecode(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let states = WireSamples.states(&random, count: 10)
        let encoded = WireCodec.encode(PushRequest(states: states))
        let escaped = Self.asciiOnly(String(decoding: encoded.readableBytesView, as: UTF8.self), upper: seed % 2 == 0)
        #expect(escaped.utf8.allSatisfy { $0 < 0x80 })
        let decoded = try WireCodec.decodePushRequest(ByteBuffer(string: escaped))
        #expect(WireCodec.encode(PushRequest(states: decoded)) == encoded, TestSeeds.comment(seed))
    }

    @Test func extremeIntegersRoundTrip() throws {
        let node = NodeID(trusted: "aad297a1-11ef-4fb8-8210-4ac48db17067")
        let state = RecordState(
            type: "member", id: "5b0e8c1e-2f7a-4d4b-9a53-0c6f1d2e3a4b", vector: VersionVector([node: .max]),
            fields: [
                "low": FieldState(
                    single: FieldVersion(value: .integer(.min), dot: Dot(node: node, counter: 1), wallTime: .min)),
                "high": FieldState(
                    single: FieldVersion(value: .integer(.max), dot: Dot(node: node, counter: .max), wallTime: .max)),
            ])
        let encoded = WireCodec.encode(PushRequest(states: [state]))
        let text = String(decoding: encoded.readableBytesView, as: UTF8.self)
        #expect(text.contains("-9223372036854775808") && text.contains("9223372036854775807"))
        #expect(text.contains("18446744073709551615"))
        #expect(try WireCodec.decodePushRequest(encoded) == [state])
    }

    @Test func theProtocolExampleEncodesSortedAndCompact() throws {
        let node = "aad297a1-11ef-4fb8-8210-4ac48db17067"
        let version = { (value: String, counter: Int, at: Int) in
            #"[{"value":\#(value),"node":"\#(node)","counter":\#(counter),"at":\#(at)}]"#
        }
        let body =
            #"{"changes":[{"id":"5b0e8c1e-2f7a-4d4b-9a53-0c6f1d2e3a4b","type":"member","vector":{"\#(node)":2},"fields":{"#
            + #""phone":\#(version(#""13800000000""#, 2, 1_764_053_600_000)),"#
            + #""name":\#(version(#""张三""#, 1, 1_764_050_000_000)),"#
            + #""_deleted":\#(version("0", 2, 1_764_053_600_000))}}]}"#
        let states = try WireCodec.decodePushRequest(ByteBuffer(string: body))
        let expected =
            #"{"changes":[{"type":"member","id":"5b0e8c1e-2f7a-4d4b-9a53-0c6f1d2e3a4b","vector":{"\#(node)":2},"fields":{"#
            + #""_deleted":\#(version("0", 2, 1_764_053_600_000)),"#
            + #""name":\#(version(#""张三""#, 1, 1_764_050_000_000)),"#
            + #""phone":\#(version(#""13800000000""#, 2, 1_764_053_600_000))}}]}"#
        #expect(
            String(decoding: WireCodec.encode(PushRequest(states: states)).readableBytesView, as: UTF8.self) == expected
        )
    }

    @Test func stringsAreEscapedAsJSONEncoderDoesExceptTheSlash() throws {
        let node = NodeID(trusted: "aad297a1-11ef-4fb8-8210-4ac48db17067")
        let text = "\"\\/\n\r\t\u{8}\u{C}\u{0}\u{1F}\u{7F}张😀"
        let state = RecordState(
            type: "member", id: "5b0e8c1e-2f7a-4d4b-9a53-0c6f1d2e3a4b", vector: VersionVector([node: 1]),
            fields: [
                "name": FieldState(
                    single: FieldVersion(value: .text(text), dot: Dot(node: node, counter: 1), wallTime: 0))
            ])
        let encoded = String(decoding: WireCodec.encode(PushRequest(states: [state])).readableBytesView, as: UTF8.self)
        #expect(encoded.contains(#""value":"\"\\/\n\r\t\b\f\u0000\u001f\#u{7F}张😀""#))
    }

    @Test func unknownMembersAreSkippedAtEveryLevel() throws {
        let node = "aad297a1-11ef-4fb8-8210-4ac48db17067"
        let noise = #""future":{"a":[1,-2.5e+3,0.0,true,false,null,"\u00e9\ud83d\ude00\"",{"deep":[[[]]]}],"b":{}}"#
        let body =
            #"{\#(noise),"changes":[{\#(noise),"type":"member","id":"5b0e8c1e-2f7a-4d4b-9a53-0c6f1d2e3a4b","#
            + #""vector":{"\#(node)":1},"fields":{"name":[{"value":"张三",\#(noise),"node":"\#(node)","counter":1,"#
            + #""at":5}]},"extra":"x"}],"more":[]}"#
        let states = try WireCodec.decodePushRequest(ByteBuffer(string: body))
        #expect(states.count == 1)
        #expect(states.first?.value("name") == .text("张三"))

        let pull = #"{"changes":[],"nextCursor":7,"hasMore":false,"digest":"d",\#(noise),"nodes":{},"serverTime":1}"#
        #expect(try WireCodec.decodePullResponse(ByteBuffer(string: pull)).nextCursor == 7)
    }

    @Test func whitespaceAndEscapedMemberNamesAreAccepted() throws {
        let node = "AAD297A1-11EF-4FB8-8210-4AC48DB17067"
        let body = """
            \t{ "changes" :\r\n [ { "\\u0074ype" : "member" , "id" : "5B0E8C1E-2F7A-4D4B-9A53-0C6F1D2E3A4B" ,
             "vector" : { "\(node)" : 1 } , "fields" : { "name" : [ { "value" : null , "node" : "\(node)" ,
             "counter" : 1 , "at" : -0 } ] } } ] }\n
            """
        let states = try WireCodec.decodePushRequest(ByteBuffer(string: body))
        #expect(states.first?.id == "5b0e8c1e-2f7a-4d4b-9a53-0c6f1d2e3a4b")
        #expect(states.first?.vector.counters.keys.first?.rawValue == node.lowercased())
        #expect(states.first?.value("name") == .null)
    }

    /// The JSON with every non-ASCII character written as `\u` escapes (surrogate pairs above U+FFFF).
    static func asciiOnly(_ json: String, upper: Bool) -> String {
        var result = ""
        for scalar in json.unicodeScalars {
            if scalar.isASCII {
                result.unicodeScalars.append(scalar)
                continue
            }
            for unit in String(scalar).utf16 {
                let hex = String(unit, radix: 16, uppercase: upper)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return result
    }

    static func equal(_ lhs: PullResponse, _ rhs: PullResponse) -> Bool {
        lhs.changes == rhs.changes && lhs.nextCursor == rhs.nextCursor && lhs.hasMore == rhs.hasMore
            && lhs.digest == rhs.digest && lhs.nodes == rhs.nodes && lhs.serverTime == rhs.serverTime
    }
}
