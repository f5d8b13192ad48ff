import HearthProtocol
public import Hummingbird
import SyncCore

/// The protocol's endpoints on a Hummingbird router.
public struct SyncRoutes: Sendable {
    let service: SyncService
    let configuration: ServerConfiguration

    public init(service: SyncService, configuration: ServerConfiguration) {
        self.service = service
        self.configuration = configuration
    }

    public func register(on router: Router<HearthRequestContext>) {
        router.get("health") { request, _ in
            try JSONBody.response(HealthResponse(status: "ok", protocolVersion: ProtocolVersion.current), for: request)
        }
        let v1 = router.group("v1")
            .add(middleware: ProtocolVersionMiddleware())
            .add(middleware: NodeAuthMiddleware(service: service))
        v1.get("session") { request, context in
            let writer = request.uri.queryParameters["writer"].map(String.init)
            let key = request.uri.queryParameters["signingKey"].map(String.init)
            return try JSONBody.response(
                try await service.session(for: try Self.node(context), writer: writer, signingKey: key), for: request)
        }
        v1.post("hub/laptops") { request, context in
            let body = try await JSONBody.decode(HubLaptopsRequest.self, from: request, configuration: configuration)
            let response = try await service.registerLaptops(body, from: try Self.node(context))
            context.outcome.set("laptops=\(body.laptops.count) refused=\(response.refused.count)")
            return try JSONBody.response(response, for: request)
        }
        v1.post("changes") { request, context in
            let states = try await JSONBody.decodePush(from: request, configuration: configuration)
            var lineage: PushLineage?
            if let writer = request.uri.queryParameters["writer"] {
                let counter = try Self.integer(request, "counter", default: 0)
                guard counter >= 0 else {
                    throw SyncServerError.badRequest("query parameter counter must be 0 or more")
                }
                lineage = PushLineage(
                    writer: String(writer), counter: UInt64(counter),
                    tag: request.uri.queryParameters["tag"].map(String.init) ?? "")
            }
            let response = try await service.push(states: states, from: try Self.node(context), lineage: lineage)
            context.outcome.set(
                "pushed=\(states.count) accepted=\(response.accepted) conflicts=\(response.conflicts)")
            return try JSONBody.response(response, for: request)
        }
        v1.get("changes/wait") { request, context in
            let since = try Self.integer(request, "since", default: 0)
            let seconds = try Self.integer(request, "timeout", default: 25)
            guard seconds >= 0 else { throw SyncServerError.badRequest("query parameter timeout must be 0 or more") }
            let response = try await service.waitForChanges(
                since: since, timeout: .seconds(min(seconds, 3_600)), for: try Self.node(context))
            context.outcome.set("since=\(since) changed=\(response.changed)")
            return try JSONBody.response(response, for: request)
        }
        v1.get("changes") { request, context in
            let since = try Self.integer(request, "since", default: 0)
            let limit = try Self.integer(request, "limit", default: Int64(configuration.defaultPullLimit))
            let own = try Self.integer(request, "own", default: 0)
            guard own == 0 || own == 1 else { throw SyncServerError.badRequest("query parameter own must be 0 or 1") }
            let includeOwn = own == 1
            var settled: SettledWrites?
            if let writer = request.uri.queryParameters["writer"] {
                guard let writerID = NodeID(String(writer)) else {
                    throw SyncServerError.badRequest("query parameter writer must be a writer id (a UUID)")
                }
                let counter = try Self.integer(request, "settled", default: 0)
                guard counter >= 0 else {
                    throw SyncServerError.badRequest("query parameter settled must be 0 or more")
                }
                settled = SettledWrites(writer: writerID, counter: UInt64(counter))
            }
            let response = try await service.pull(
                since: since, limit: Int(clamping: limit), includeOwn: includeOwn, settled: settled,
                for: try Self.node(context))
            context.outcome.set("since=\(since) pulled=\(response.changes.count) next=\(response.nextCursor)")
            return try JSONBody.response(json: WireCodec.encode(response), for: request, compression: .fast)
        }
    }

    static func node(_ context: HearthRequestContext) throws -> RegisteredNode {
        guard let node = context.node else { throw SyncServerError.unauthorized("this request needs a node token") }
        return node
    }

    static func integer(_ request: Request, _ name: String, default value: Int64) throws -> Int64 {
        guard let text = request.uri.queryParameters[Substring(name)] else { return value }
        guard let number = Int64(String(text)) else {
            throw SyncServerError.badRequest("query parameter \(name) must be a whole number")
        }
        return number
    }
}
