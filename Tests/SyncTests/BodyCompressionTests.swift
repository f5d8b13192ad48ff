import HearthProtocol
import NIOCore
import Testing

struct BodyCompressionTests {
    @Test(arguments: [10, 2_000, 100_000, 3_000_000]) func gzipRoundTrips(size: Int) throws {
        let text = (0..<size).map { String($0 % 97) }.joined(separator: "张")
        let original = ByteBuffer(string: text)
        let packed = try BodyCompression.gzip(original)
        let unpacked = try BodyCompression.gunzip(packed, maxSize: 64 << 20)
        #expect(unpacked == original)
    }

    @Test func inflatingPastTheLimitIsRefused() throws {
        let packed = try BodyCompression.gzip(ByteBuffer(string: String(repeating: "a", count: 1 << 20)))
        #expect(throws: BodyCompressionError.tooLarge) { try BodyCompression.gunzip(packed, maxSize: 1 << 16) }
    }
}
