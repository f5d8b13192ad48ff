import HearthProtocol
public import Hummingbird
import Logging

/// Makes every error a JSON body `{"error": {"code", "message"}}`, including Hummingbird's own
/// (unknown route, body too large) and unexpected ones (500, detail logged, not sent).
///
/// Messages are fixed wording: the request's path, method and body never appear in them.
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
        } catch is ServerStoreUnavailable {
            context.logger.warning("the store's database is unreachable; answered 503")
            throw SyncServerError(
                ErrorCode.unavailable, .serviceUnavailable,
                "the server cannot reach its database for the moment; sync again shortly (a sync is safe to repeat)")
        } catch let error as any HTTPResponseError {
            switch error.status {
            case .notFound:
                throw SyncServerError(
                    ErrorCode.notFound, .notFound,
                    "no such endpoint; the endpoints are GET /health, GET /v1/session, POST and GET /v1/changes")
            case .contentTooLarge:
                throw SyncServerError(ErrorCode.tooLarge, .contentTooLarge, "the request body is too large")
            case .methodNotAllowed:
                throw SyncServerError(
                    ErrorCode.badRequest, .methodNotAllowed, "this endpoint does not take that method")
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
