import HearthProtocol
public import Hummingbird
import Logging

/// Makes every error a JSON body `{"error": {"code", "message"}}`, including Hummingbird's own
/// (unknown route, body too large) and unexpected ones (500, detail logged, not sent).
public struct ErrorBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as SyncServerError {
            throw error
        } catch let error as any HTTPResponseError {
            switch error.status {
            case .notFound:
                throw SyncServerError(
                    ErrorCode.notFound, .notFound, "no such endpoint: \(request.method) \(request.uri.path)")
            case .contentTooLarge:
                throw SyncServerError(ErrorCode.tooLarge, .contentTooLarge, "the request body is too large")
            case .methodNotAllowed:
                throw SyncServerError(ErrorCode.badRequest, .methodNotAllowed, "\(request.method) is not allowed here")
            default:
                throw SyncServerError(
                    error.status.code >= 500 ? ErrorCode.internalError : ErrorCode.badRequest, error.status,
                    error.status.reasonPhrase)
            }
        } catch {
            context.logger.error("request failed: \(String(reflecting: type(of: error)))")
            throw SyncServerError.internalError("the server failed to handle the request; its log has the detail")
        }
    }
}
