import Foundation
import HearthProtocol
import HearthTestSupport
import NIOCore
import SyncCore
import Testing

/// Every kind of broken body gets a `WireDecodingError` naming what is wrong and where; none traps.
struct WireCodecMalformedTests {
    static let node = "aad297a1-11ef-4fb8-8210-4ac48db17067"
    static let recordID = "5b0e8c1e-2f7a-4d4b-9a53-0c6f1d2e3a4b"

    /// A push body of one change whose `name` field has the version members `version`.
    static func push(version: String = #""value":"张三","node":"\#(node)","counter":1,"at":5"#, extra: String = "")
        -> String
    {
        #"{"changes":[{"type":"member","id":"\#(recordID)","vector":{"\#(node)":1},"fields":{"#
            + #""name":[{\#(version)}]}}]\#(extra)}"#
    }

    static func version(value: String = #""张三""#, counter: String = "1", at: String = "5") -> String {
        push(version: #""value":\#(value),"node":"\#(node)","counter":\#(counter),"at":\#(at)"#)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var body: [UInt8]
        var code: WireJSONError.Code
        var path: String
        var testDescription: String { name }

        init(_ name: String, _ body: String, _ code: WireJSONError.Code, at path: String = "") {
            self.init(name, Array(body.utf8), code, at: path)
        }

        init(_ name: String, _ body: [UInt8], _ code: WireJSONError.Code, at path: String = "") {
            self.name = name
            self.body = body
            self.code = code
            self.path = path
        }
    }

    static let versionPath = ".changes[0].fields.name[0]"

    static let cases: [Case] = [
        Case("empty body", "", .truncated),
        Case("whitespace only", " \n", .truncated),
        Case("cut inside the object", "{", .truncated),
        Case("cut inside the changes", #"{"changes":["#, .truncated, at: ".changes"),
        Case("cut inside a string", String(push().prefix(60)), .truncated, at: ".changes[0].id"),
        Case("cut inside a number", #"{"changes":[],"x":-"#, .truncated),
        Case("cut inside a literal", #"{"changes":[],"x":tru"#, .truncated),
        Case("data after the message", #"{"changes":[]} {}"#, .trailingData),
        Case("trailing comma in an object", #"{"changes":[],}"#, .syntax),
        Case("trailing comma in an array", #"{"changes":[],"x":[1,]}"#, .syntax),
        Case("missing colon", #"{"changes" []}"#, .syntax),
        Case("missing comma", #"{"changes":[] "x":1}"#, .syntax),
        Case("single quotes", #"{'changes':[]}"#, .syntax),
        Case("bad literal", #"{"changes":[],"x":nul}"#, .syntax),
        Case("leading zero", version(counter: "01"), .syntax, at: versionPath + ".counter"),
        Case("bare minus", version(at: "-x"), .syntax, at: versionPath + ".at"),
        Case("fraction without digits", #"{"changes":[],"x":1.}"#, .syntax),
        Case("exponent without digits", #"{"changes":[],"x":1e}"#, .syntax),
        Case("leading dot", #"{"changes":[],"x":.5}"#, .syntax),
        Case("an array at the top", "[]", .typeMismatch),
        Case("changes not an array", #"{"changes":{}}"#, .typeMismatch, at: ".changes"),
        Case("a change not an object", #"{"changes":[1]}"#, .typeMismatch, at: ".changes[0]"),
        Case("null changes", #"{"changes":null}"#, .typeMismatch, at: ".changes"),
        Case("a string counter", version(counter: #""1""#), .typeMismatch, at: versionPath + ".counter"),
        Case("a boolean value", version(value: "true"), .typeMismatch, at: versionPath + ".value"),
        Case("an object value", version(value: "{}"), .typeMismatch, at: versionPath + ".value"),
        Case("an array value", version(value: "[1]"), .typeMismatch, at: versionPath + ".value"),
        Case(
            "versions not an array",
            #"{"changes":[{"type":"member","id":"\#(recordID)","vector":{},"fields":{"name":{"value":1}}}]}"#,
            .typeMismatch, at: ".changes[0].fields.name"),
        Case("a fraction counter", version(counter: "1.5"), .notAnInteger, at: versionPath + ".counter"),
        Case("a whole fraction counter", version(counter: "1.0"), .notAnInteger, at: versionPath + ".counter"),
        Case("an exponent time", version(at: "1e3"), .notAnInteger, at: versionPath + ".at"),
        Case("a fraction value", version(value: "0.5"), .notAnInteger, at: versionPath + ".value"),
        Case("a negative counter", version(counter: "-1"), .outOfRange, at: versionPath + ".counter"),
        Case(
            "a counter past UInt64", version(counter: "18446744073709551616"), .outOfRange, at: versionPath + ".counter"
        ),
        Case("a time past Int64", version(at: "9223372036854775808"), .outOfRange, at: versionPath + ".at"),
        Case("a time below Int64", version(at: "-9223372036854775809"), .outOfRange, at: versionPath + ".at"),
        Case("a value past Int64", version(value: "99999999999999999999999"), .outOfRange, at: versionPath + ".value"),
        Case(
            "a vector counter below 0", push().replacingOccurrences(of: #"":1},"#, with: #"":-3},"#), .outOfRange,
            at: ".changes[0].vector.\(node)"),
        Case("an unknown escape", version(value: #""a\x""#), .invalidEscape, at: versionPath + ".value"),
        Case("a short \\u escape", version(value: #""\u12""#), .invalidEscape, at: versionPath + ".value"),
        Case(
            "a \\u escape with a non-hex digit", version(value: #""\u12G4""#), .invalidEscape,
            at: versionPath + ".value"),
        Case("a lone high surrogate", version(value: #""\ud83d""#), .loneSurrogate, at: versionPath + ".value"),
        Case(
            "a high surrogate before a letter", version(value: #""\ud83d\u0041""#), .loneSurrogate,
            at: versionPath + ".value"),
        Case("two high surrogates", version(value: #""\ud83d\ud83d""#), .loneSurrogate, at: versionPath + ".value"),
        Case("a lone low surrogate", version(value: #""\ude00x""#), .loneSurrogate, at: versionPath + ".value"),
        Case("a lone surrogate in a skipped member", #"{"changes":[],"x":"\udc00"}"#, .loneSurrogate),
        Case("a raw newline in a string", version(value: "\"a\nb\""), .controlCharacter, at: versionPath + ".value"),
        Case(
            "a raw tab in a member name", push().replacingOccurrences(of: "\"name\"", with: "\"na\tme\""),
            .controlCharacter,
            at: ".changes[0].fields"),
        Case(
            "bytes that are not UTF-8", Array(version(value: "\"a\u{1}\"").utf8).map { $0 == 1 ? 0xFF : $0 },
            .invalidUTF8,
            at: versionPath + ".value"),
        Case(
            "an overlong UTF-8 form",
            Array(#"{"changes":[],"x":"/"}"#.utf8).flatMap { $0 == 0x2F ? [0xC0, 0xAF] : [$0] },
            .invalidUTF8),
        Case(
            "an encoded surrogate",
            Array(#"{"changes":[],"x":"/"}"#.utf8).flatMap { $0 == 0x2F ? [0xED, 0xA0, 0x80] : [$0] },
            .invalidUTF8),
        Case(
            "bad UTF-8 in a skipped member name", Array(#"{"changes":[],"/":1}"#.utf8).map { $0 == 0x2F ? 0xFE : $0 },
            .invalidUTF8),
        Case("no changes", #"{"change":[]}"#, .missingMember),
        Case(
            "a change without a vector", push().replacingOccurrences(of: #""vector":{"\#(node)":1},"#, with: ""),
            .missingMember, at: ".changes[0]"),
        Case(
            "a version without a node", push(version: #""value":1,"counter":1,"at":5"#), .missingMember, at: versionPath
        ),
        Case(
            "a version without a value", push(version: #""node":"\#(node)","counter":1,"at":5"#), .missingMember,
            at: versionPath),
        Case(
            "nested too deep",
            #"{"changes":[],"x":"# + String(repeating: "[", count: 100_000)
                + String(repeating: "]", count: 100_000) + "}", .tooDeep),
        Case(
            "nested too deep and cut", #"{"changes":[],"x":"# + String(repeating: "{\"a\":", count: 100_000), .tooDeep),
    ]

    @Test(arguments: cases)
    func aBrokenPushBodyIsMalformed(_ broken: Case) {
        #expect {
            _ = try WireCodec.decodePushRequest(ByteBuffer(bytes: broken.body))
        } throws: { error in
            guard case .malformed(let malformed) = error as? WireDecodingError else { return false }
            #expect(malformed.code == broken.code, "\(malformed)")
            #expect(malformed.path == broken.path, "\(malformed)")
            return true
        }
    }

    @Test func theMessageSaysWhatAndWhereWithoutQuotingTheBody() throws {
        let body = Self.push(version: #""value":"张三","node":"\#(Self.node)","counter":1.5,"at":5"#)
            .replacingOccurrences(of: "\"name\"", with: "\"13800000000\"")
        do {
            _ = try WireCodec.decodePushRequest(ByteBuffer(string: body))
            Issue.record("a fraction counter was accepted")
        } catch {
            let text = error.description
            #expect(text.hasPrefix("problem at .changes[0].fields.<key>[0].counter: expected a counter"), "\(text)")
            #expect(text.contains("fraction"))
            #expect(!text.contains("张三") && !text.contains("13800000000"), "\(text)")
        }
    }

    @Test func aPullAnswerLackingAMemberIsMalformed() {
        let body = #"{"changes":[],"nextCursor":1,"hasMore":false,"nodes":{},"serverTime":1}"#
        #expect {
            _ = try WireCodec.decodePullResponse(ByteBuffer(string: body))
        } throws: { error in
            guard case .malformed(let malformed) = error as? WireDecodingError else { return false }
            return malformed.code == .missingMember && malformed.reason.contains("digest")
        }
    }

    /// Random damage to valid bodies: every outcome is a decoded message or a `WireDecodingError`.
    @Test(arguments: TestSeeds.cases(8))
    func damagedBodiesNeverTrap(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let push = Array(WireCodec.encode(PushRequest(states: WireSamples.states(&random, count: 5))).readableBytesView)
        let pull = Array(WireCodec.encode(WireSamples.pullResponse(&random, count: 5)).readableBytesView)
        let bytes: [UInt8] = Array(#"{}[]",:\0-1.eE+tfnu "#.utf8) + [0x80, 0xC3, 0xED, 0xF4, 0xFF]
        for round in 0..<400 {
            var body = round % 2 == 0 ? push : pull
            for _ in 0...(random.next() % 3) {
                let at = Int(random.next() % UInt64(body.count))
                switch random.next() % 4 {
                case 0: body.removeSubrange(at...)
                case 1: body.remove(at: at)
                case 2: body[at] = bytes[Int(random.next() % UInt64(bytes.count))]
                default: body.insert(bytes[Int(random.next() % UInt64(bytes.count))], at: at)
                }
                if body.isEmpty { break }
            }
            let buffer = ByteBuffer(bytes: body)
            do {
                if round % 2 == 0 {
                    let states = try WireCodec.decodePushRequest(buffer)
                    // What was accepted survives a second trip unchanged.
                    let again = WireCodec.encode(PushRequest(states: states))
                    #expect(try WireCodec.decodePushRequest(again) == states, TestSeeds.comment(seed, "round \(round)"))
                } else {
                    _ = try WireCodec.decodePullResponse(buffer)
                }
            } catch {
                // Either kind of refusal is fine; a trap would end the test run.
                _ = error.description
            }
        }
    }
}
