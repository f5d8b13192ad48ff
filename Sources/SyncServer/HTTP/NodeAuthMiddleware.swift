import Foundation
public import Hummingbird
import Logging
import SyncCore

/// Checks the bearer token of every sync request and puts the node in the context.
public struct NodeAuthMiddleware: RouterMiddleware {
    public typealias Context = HearthRequestContext
    let service: SyncService

    public init(service: SyncService) {
        self.service = service
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws
        -> Response
    {
        // The scheme name is case-insensitive (RFC 9110 §11.1).
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw SyncServerError.unauthorized("this request needs a node token: send Authorization: Bearer <token>")
        }
        let token = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard let node = try await service.authenticate(token: token) else {
            throw SyncServerError.unauthorized(
                "the node token was not accepted (unknown or revoked); ask the central office for a new one "
                    + "(`hearth-server node readmit ID` for a revoked node, `hearth-server node add` for a new one)")
        }
        var context = context
        context.node = node
        context.logger[metadataKey: "node"] = .string(node.id.rawValue)
        context.outcome.setNode(node.id)
        return try await next(request, context)
    }
}
