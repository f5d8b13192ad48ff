import CZlib
import NIOCore

/// The 8-byte trailer that ends a gzip member (RFC 1952 §2.3.1): the CRC-32 of the inflated
/// data and its length modulo 2³², both little-endian.
///
/// zlib stops quietly when its input runs out, so a body cut off in transit would inflate to a
/// prefix of what was sent. Checking the trailer against what was inflated refuses it.
enum GzipTrailer {
    /// True when `compressed` ends with the trailer of exactly `inflated`.
    static func matches(compressed: ByteBuffer, inflated: ByteBuffer) -> Bool {
        guard compressed.readableBytes >= 18,  // a 10-byte header, some data, the trailer
            let crc = compressed.getInteger(
                at: compressed.writerIndex - 8, endianness: .little, as: UInt32.self),
            let size = compressed.getInteger(
                at: compressed.writerIndex - 4, endianness: .little, as: UInt32.self)
        else { return false }
        guard size == UInt32(truncatingIfNeeded: inflated.readableBytes) else { return false }
        return inflated.withUnsafeReadableBytes { crc32($0) } == crc
    }

    /// The CRC-32 of gzip and zip (reflected polynomial 0xEDB88320), by zlib: several times
    /// faster than a table lookup per byte in Swift, and every pushed and pulled body is checked.
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CZlib.crc32(0, nil, 0)
        var rest = bytes
        // zlib takes a 32-bit length.
        while !rest.isEmpty {
            let chunk = min(rest.count, Int(UInt32.max))
            crc = CZlib.crc32(crc, rest.baseAddress!.assumingMemoryBound(to: Bytef.self), uInt(chunk))
            rest = UnsafeRawBufferPointer(rebasing: rest[chunk...])
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}
