import Foundation
public import HTTPTypes
import HearthProtocol
public import Hummingbird

/// A refused or failed server request: an error code from the protocol, its HTTP status and
/// a message that says what happened and what to do. Rendered as the JSON error body.
public struct SyncServerError: Error, CustomStringConvertible, Sendable, HTTPResponseError {
    public var code: String
    public var status: HTTPResponse.Status
    public var message: String

    public init(_ code: String, _ status: HTTPResponse.Status, _ message: String) {
        self.code = code
        self.status = status
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder().encode(ErrorResponse(code: code, message: message))
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func unauthorized(_ message: String) -> Self { .init(ErrorCode.unauthorized, .unauthorized, message) }
    static func forbidden(_ message: String) -> Self { .init(ErrorCode.forbidden, .forbidden, message) }
    static func badRequest(_ message: String) -> Self { .init(ErrorCode.badRequest, .badRequest, message) }
    static func invalidChange(_ message: String) -> Self {
        .init(ErrorCode.invalidChange, .unprocessableContent, message)
    }
    static func tooLarge(limit: Int) -> Self {
        .init(
            ErrorCode.tooLarge, .contentTooLarge, "the request body is larger than \(limit) bytes; send smaller pages")
    }
    static func internalError(_ message: String) -> Self {
        .init(ErrorCode.internalError, .internalServerError, message)
    }
}

/// Thrown by a store whose database cannot be reached for the moment (PostgreSQL down, or a
/// failover in progress): the request gets 503 and the node syncs again later.
public struct ServerStoreUnavailable: Error, Sendable {
    public init() {}
}
