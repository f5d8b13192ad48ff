import CompressNIO
public import NIOCore

/// Gzip for request and response bodies, shared by client and server.
public enum BodyCompression {
    /// Bodies smaller than this are sent as they are: gzip would not pay for its header.
    public static let threshold = 1_024

    public static func gzip(_ buffer: ByteBuffer) throws -> ByteBuffer {
        var input = buffer
        return try input.compress(with: .gzip())
    }

    /// Inflates a gzip body, refusing to grow past `maxSize` bytes (a zip bomb stops there).
    public static func gunzip(_ buffer: ByteBuffer, maxSize: Int) throws(BodyCompressionError) -> ByteBuffer {
        var input = buffer
        do {
            return try input.decompress(with: .gzip(), maxSize: maxSize)
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw .tooLarge
        } catch {
            throw .corrupt
        }
    }
}

public enum BodyCompressionError: Error, Sendable {
    /// The inflated body would exceed the allowed size.
    case tooLarge
    /// The body is not valid gzip.
    case corrupt
}
