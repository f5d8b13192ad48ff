import Foundation
import HTTPTypes
import HearthProtocol
import Hummingbird
import NIOCore
import NIOFoundationCompat
import SyncCore

/// Reading push bodies (gzip or not, within limits) and writing JSON responses
/// (gzip when the client accepts it and the body is worth compressing).
enum JSONBody {
    /// The record states of a push body, read by `WireCodec`: malformed JSON is a 400, a
    /// well-formed but invalid change a 422.
    static func decodePush(from request: Request, configuration: ServerConfiguration) async throws -> [RecordState] {
        let buffer = try await body(of: request, configuration: configuration)
        do {
            return try WireCodec.decodePushRequest(buffer)
        } catch .malformed(let error) {
            throw SyncServerError.badRequest("the request body is not a valid PushRequest: \(error)")
        } catch .invalidChange(let error) {
            throw SyncServerError.invalidChange(error.message)
        }
    }

    /// A small JSON request body (not a push) of type `T`, within the same limits: anything that
    /// is not that JSON is a 400 naming the type, never quoting the body.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, configuration: ServerConfiguration)
        async throws -> T
    {
        let buffer = try await body(of: request, configuration: configuration)
        do {
            return try JSONDecoder().decode(type, from: Data(buffer: buffer))
        } catch {
            throw SyncServerError.badRequest("the request body is not a valid \(type)")
        }
    }

    /// The request body, inflated if it is gzip, within the configured limits.
    private static func body(of request: Request, configuration: ServerConfiguration) async throws -> ByteBuffer {
        var buffer: ByteBuffer
        do {
            buffer = try await collect(
                request.body, upTo: configuration.maxBodyBytes, within: configuration.bodyDeadline)
        } catch let error as SyncServerError {
            throw error
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw SyncServerError.tooLarge(limit: configuration.maxBodyBytes)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // NIO's HTTP decoder fails the body stream on malformed chunked encoding and on a
            // connection closed mid-body (`HTTPParserError`, `IOError`): the client's doing, not ours.
            throw SyncServerError.badRequest(
                "the request body could not be read (malformed chunked encoding, or the upload was cut off); "
                    + "send it again")
        }
        if let encoding = request.headers[.contentEncoding]?.lowercased(), encoding != "identity" {
            guard encoding == "gzip" else {
                // The header's value is not quoted back: it is the client's text.
                throw SyncServerError(
                    ErrorCode.badRequest, .unsupportedMediaType,
                    "the request's Content-Encoding is not supported; send gzip or identity")
            }
            do {
                buffer = try BodyCompression.gunzip(buffer, maxSize: configuration.maxInflatedBytes)
            } catch .tooLarge {
                throw SyncServerError.tooLarge(limit: configuration.maxInflatedBytes)
            } catch .corrupt {
                throw SyncServerError.badRequest("the request body is not valid gzip")
            }
        }
        return buffer
    }

    /// The whole body, unless it takes longer than `deadline` to arrive (408).
    private static func collect(_ body: RequestBody, upTo limit: Int, within deadline: Duration) async throws
        -> ByteBuffer
    {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await body.collect(upTo: limit) }
            group.addTask {
                try await Task.sleep(for: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let buffer = first else {
                throw SyncServerError(
                    ErrorCode.badRequest, .requestTimeout,
                    "the request body did not arrive within \(deadline.components.seconds) s; send smaller pages")
            }
            return buffer
        }
    }

    static func response<T: Encodable>(_ value: T, for request: Request, status: HTTPResponse.Status = .ok) throws
        -> Response
    {
        try response(json: ByteBuffer(data: try JSONEncoder().encode(value)), for: request, status: status)
    }

    /// A response with a body that is JSON already (`WireCodec`'s), gzip'd when worth it and accepted.
    static func response(
        json buffer: ByteBuffer, for request: Request, status: HTTPResponse.Status = .ok,
        compression: BodyCompression.Effort = .thorough
    ) throws -> Response {
        var buffer = buffer
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if buffer.readableBytes >= BodyCompression.threshold,
            request.headers[.acceptEncoding]?.lowercased().contains("gzip") == true
        {
            buffer = try BodyCompression.gzip(buffer, effort: compression)
            headers[.contentEncoding] = "gzip"
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }
}
