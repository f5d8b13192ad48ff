import HTTPTypes
import HearthProtocol
public import Hummingbird

/// Refuses requests that do not name a protocol version this server speaks, before any work.
public struct ProtocolVersionMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws
        -> Response
    {
        guard let field = HTTPField.Name(ProtocolVersion.header), let text = request.headers[field] else {
            throw SyncServerError(
                ErrorCode.protocolMissing, .badRequest,
                "the request does not name a protocol version; send the header \(ProtocolVersion.header): \(ProtocolVersion.current)"
            )
        }
        guard let version = Int(text) else {
            throw SyncServerError(
                ErrorCode.protocolMissing, .badRequest, "\(ProtocolVersion.header) must be a whole number")
        }
        // The client's version is not quoted back (it is the client's text); the server's range is.
        if version < ProtocolVersion.oldestSupported {
            throw SyncServerError(
                ErrorCode.protocolTooOld, .upgradeRequired,
                "this client speaks an older sync protocol than the server, which speaks "
                    + "\(ProtocolVersion.oldestSupported) to \(ProtocolVersion.current); upgrade hearth on this node")
        }
        if version > ProtocolVersion.current {
            throw SyncServerError(
                ErrorCode.protocolTooNew, .badRequest,
                "this client speaks a newer sync protocol than the server, which speaks "
                    + "\(ProtocolVersion.oldestSupported) to \(ProtocolVersion.current); upgrade hearth-server")
        }
        return try await next(request, context)
    }
}
