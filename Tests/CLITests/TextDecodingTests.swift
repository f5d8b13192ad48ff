import Foundation
import HearthCLI
import Testing

@Suite struct TextDecodingTests {
    @Test func aUTF8ByteOrderMarkMeansUTF8AndIsDropped() throws {
        let decoded = try TextDecoding.decode(Data([0xEF, 0xBB, 0xBF] + Array("姓名\n张三\n".utf8)), source: "a.csv")
        #expect(decoded.encoding == .utf8WithBOM)
        #expect(decoded.text == "姓名\n张三\n")
    }

    @Test func validUTF8WithoutAMarkIsUTF8() throws {
        let decoded = try TextDecoding.decode(Data("name,phone\n欧阳娜娜,123\n".utf8), source: "a.csv")
        #expect(decoded.encoding == .utf8)
        #expect(decoded.text == "name,phone\n欧阳娜娜,123\n")
    }

    @Test func plainASCIIIsUTF8() throws {
        #expect(try TextDecoding.decode(Data("name\nZhang San\n".utf8), source: "a.csv").encoding == .utf8)
    }

    @Test func gbkBytesAreDecodedAsGB18030() throws {
        // 张三 in GBK is D5 C5 C8 FD: not valid UTF-8.
        let decoded = try TextDecoding.decode(Data([0xD5, 0xC5, 0xC8, 0xFD]), source: "a.csv")
        #expect(decoded.encoding == .gb18030)
        #expect(decoded.text == "张三")
    }

    @Test func aWholeGBKFileIsDecoded() throws {
        let text = "姓名,性别,手机,户籍,所属中心\r\n欧阳秀英,女,138 0000 0000,外地,沙头服务中心\r\n张伟,男,,本地,\r\n"
        let decoded = try TextDecoding.decode(Data(GBKBytes.encode(text)), source: "a.csv")
        #expect(decoded.encoding == .gb18030)
        #expect(decoded.text == text)
    }

    @Test func fourByteGB18030SequencesAreDecoded() throws {
        // GB18030 beyond GBK: € is A2 E3, 😀 is 94 39 FC 36.
        let decoded = try TextDecoding.decode(Data([0xD5, 0xC5, 0xA2, 0xE3, 0x94, 0x39, 0xFC, 0x36]), source: "a.csv")
        #expect(decoded.text == "张€😀")
    }

    @Test func bytesThatAreNeitherUTF8NorGB18030AreRefusedWithTheirPosition() throws {
        let bytes: [UInt8] = Array("name\n".utf8) + [0xD5, 0xC5, 0x0A, 0xFF, 0xFF]
        let error = #expect(throws: (any Error).self) { try TextDecoding.decode(Data(bytes), source: "bad.csv") }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("bad.csv is neither UTF-8 nor GB18030/GBK"))
        #expect(message.contains("line 3, byte 9"))
    }

    @Test func aFileCutInTheMiddleOfAGBKCharacterIsRefused() throws {
        let error = #expect(throws: (any Error).self) {
            try TextDecoding.decode(Data([0xD5, 0xC5, 0xC8]), source: "cut.csv")
        }
        #expect((error.map { "\($0)" } ?? "").contains("ends in the middle of a character"))
    }

    @Test func utf16IsRefusedWithAHint() throws {
        let error = #expect(throws: (any Error).self) {
            try TextDecoding.decode(Data([0xFF, 0xFE, 0x61, 0x00]), source: "u.csv")
        }
        #expect((error.map { "\($0)" } ?? "").contains("UTF-16"))
    }

    @Test func aBOMFollowedByInvalidUTF8IsRefused() throws {
        let error = #expect(throws: (any Error).self) {
            try TextDecoding.decode(Data([0xEF, 0xBB, 0xBF, 0x61, 0xD5, 0xC5]), source: "m.csv")
        }
        #expect((error.map { "\($0)" } ?? "").contains("byte 5"))
    }
}
