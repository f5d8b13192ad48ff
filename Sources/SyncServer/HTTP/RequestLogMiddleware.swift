import Foundation
public import Hummingbird
import Logging
import NIOCore
import SyncCore

/// Logs one line per request: method, path, status, node id, counts, duration.
///
/// Never names, phones, tokens or bodies: only ids and numbers leave the process.
public struct RequestLogMiddleware: RouterMiddleware {
    public typealias Context = HearthRequestContext
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws
        -> Response
    {
        let start = ContinuousClock.now
        var status = "500"
        defer {
            let elapsed = ContinuousClock.now - start
            // Tenths of a millisecond, in integers: this runs for every request.
            let tenths = elapsed.components.seconds * 10_000 + elapsed.components.attoseconds / 100_000_000_000_000
            var line: Logger.Message =
                "\(request.method) \(Self.loggedPath(request.uri.path)) \(status) \(tenths / 10).\(tenths % 10)ms"
            let outcome = context.outcome.text
            if !outcome.isEmpty { line = "\(line) \(outcome)" }
            var logger = context.logger
            // Set by `NodeAuthMiddleware` on its own copy of the context: read it from the shared outcome.
            if let node = context.outcome.node { logger[metadataKey: "node"] = .string(node.rawValue) }
            logger.info(line)
        }
        do {
            let response = try await next(request, context)
            status = String(response.status.code)
            return response
        } catch let error as any HTTPResponseError {
            status = String(error.status.code)
            throw error
        }
    }

    /// The protocol's paths as they are; any other path is the client's text (a phone number,
    /// a name) and is logged only as `<other>`.
    static func loggedPath(_ path: String) -> String {
        ["/health", "/v1/session", "/v1/changes", "/v1/changes/wait", "/v1/hub/laptops"].contains(path)
            ? path : "<other>"
    }
}
