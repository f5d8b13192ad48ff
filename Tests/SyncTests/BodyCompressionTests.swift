import NIOCore
import Testing

@testable import HearthProtocol

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

    /// zlib stops quietly at the end of its input: a body cut off in transit must not inflate
    /// to the prefix that arrived. Every cut, down to the header, is refused.
    @Test func gzipWithoutItsTrailerIsRefused() throws {
        let text = (0..<5_000).map { "会员\($0)" }.joined(separator: ",")
        let packed = try BodyCompression.gzip(ByteBuffer(string: text))
        for cut in [1, 4, 8, 9, packed.readableBytes / 2, packed.readableBytes - 11] {
            let truncated = packed.getSlice(at: packed.readerIndex, length: packed.readableBytes - cut)!
            #expect(throws: BodyCompressionError.corrupt, "cut \(cut)") {
                try BodyCompression.gunzip(truncated, maxSize: 64 << 20)
            }
        }
        var tampered = packed
        let last = tampered.writerIndex - 1
        tampered.setInteger(tampered.getInteger(at: last, as: UInt8.self)! ^ 1, at: last)
        #expect(throws: BodyCompressionError.corrupt) { try BodyCompression.gunzip(tampered, maxSize: 64 << 20) }
    }

    /// The CRC-32 check value of RFC 1952's polynomial, and nothing for nothing.
    @Test func theTrailersChecksumIsGzips() {
        #expect(Array("123456789".utf8).withUnsafeBytes { GzipTrailer.crc32($0) } == 0xCBF4_3926)
        #expect([UInt8]().withUnsafeBytes { GzipTrailer.crc32($0) } == 0)
    }
}
