import CompressNIO
public import NIOCore

/// Gzip for request and response bodies, shared by client and server.
public enum BodyCompression {
    /// Bodies smaller than this are sent as they are: gzip would not pay for its header.
    public static let threshold = 1_024

    /// How hard gzip works: a trade of CPU for bytes.
    public enum Effort: Sendable {
        /// zlib's default level: the fewest bytes, for pushes from nodes on slow links.
        case thorough
        /// Level 1, about twice as fast for 25% more bytes: for pull pages, which a server
        /// compresses for every node that pulls, so its CPU is what limits many nodes at once.
        case fast
    }

    public static func gzip(_ buffer: ByteBuffer, effort: Effort = .thorough) throws -> ByteBuffer {
        var input = buffer
        let level: ZlibConfiguration.CompressionLevel =
            effort == .fast ? .fastestCompression : .defaultCompressionLevel
        return try input.compress(with: .gzip(configuration: ZlibConfiguration(compressionLevel: level)))
    }

    /// Inflates a gzip body, refusing to grow past `maxSize` bytes (a zip bomb stops there).
    ///
    /// A body without its complete trailer (cut off in transit), or whose trailer does not
    /// match what inflated, is `.corrupt`: zlib alone would hand back the prefix it could read.
    public static func gunzip(_ buffer: ByteBuffer, maxSize: Int) throws(BodyCompressionError) -> ByteBuffer {
        var input = buffer
        let inflated: ByteBuffer
        do {
            inflated = try input.decompress(with: .gzip(), maxSize: maxSize)
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw .tooLarge
        } catch {
            throw .corrupt
        }
        guard GzipTrailer.matches(compressed: buffer, inflated: inflated) else { throw .corrupt }
        return inflated
    }
}

public enum BodyCompressionError: Error, Sendable {
    /// The inflated body would exceed the allowed size.
    case tooLarge
    /// The body is not valid gzip.
    case corrupt
}
