import Foundation
import HearthCLI
import SyncCore
import Testing

@Suite struct JSONValueTests {
    @Test func keepsKeyOrderAndWritesChineseAsIs() {
        let value = JSONValue.object(["id": .string("x"), "name": .string("张伟"), "capacity": .integer(3)])
        #expect(value.rendered(pretty: false) == #"{"id":"x","name":"张伟","capacity":3}"#)
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() throws {
        let text = "a\"b\\c\nd\te\u{1}f\u{2028}"
        let rendered = JSONValue.string(text).rendered()
        #expect(rendered == #""a\"b\\c\nd\te\u0001f\u2028""#)
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(rendered)]".utf8)) as? [String]
        #expect(decoded == [text])
    }

    @Test func prettyOutputParsesBack() throws {
        let value = JSONValue.object([
            "list": .array([.integer(1), .null, .bool(true)]), "empty": .array([]), "nested": .object([]),
        ])
        let parsed = try #require(
            try JSONSerialization.jsonObject(with: Data(value.rendered().utf8)) as? [String: Any])
        #expect((parsed["list"] as? [Any])?.count == 3)
        #expect(value.rendered().contains("\n  \"list\": [\n    1,"))
    }

    @Test func fieldValuesMapToStringsNumbersAndNull() {
        #expect(JSONValue(FieldValue.text("沙头")) == .string("沙头"))
        #expect(JSONValue(FieldValue.integer(20)) == .integer(20))
        #expect(JSONValue(FieldValue.null) == .null)
    }
}
