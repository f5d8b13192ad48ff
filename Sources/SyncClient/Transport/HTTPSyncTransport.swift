public import AsyncHTTPClient
public import Foundation
public import HearthProtocol
public import NIOCore
import NIOFoundationCompat
import NIOHTTP1
public import SyncCore

/// The sync protocol over HTTP(S) with AsyncHTTPClient: JSON bodies, gzip both ways, bearer token.
public struct HTTPSyncTransport: SyncTransport {
    public struct Configuration: Sendable {
        /// How long one request may take, end to end.
        public var timeout: TimeAmount = .seconds(60)
        /// The largest response body accepted (after gzip).
        public var maxResponseBytes = 256 << 20
        public init() {}
    }

    /// One client for the process, with automatic decompression off: gzip is handled here,
    /// with our own size limit, so a body is never inflated twice.
    public static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(15), read: .seconds(120)),
            decompression: .disabled)
        // A refused connection (server down) fails the sync at once instead of being retried
        // with backoff until the connect timeout: `hearth sync` says so, and the user runs it again.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    let baseURL: String
    let token: String
    let client: HTTPClient
    let configuration: Configuration

    /// `baseURL` must have passed `RemoteAddressPolicy.check`.
    public init(
        baseURL: URL, token: String, client: HTTPClient = HTTPSyncTransport.sharedClient,
        configuration: Configuration = .init()
    ) {
        var text = baseURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        self.baseURL = text
        self.token = token
        self.client = client
        self.configuration = configuration
    }

    public func session(writer: String?) async throws -> SessionResponse {
        try await session(writer: writer, signingKey: nil)
    }

    public func session(writer: String?, signingKey: String?) async throws -> SessionResponse {
        var query: [String] = []
        if let writer { query.append("writer=\(writer)") }
        if let signingKey { query.append("signingKey=\(signingKey)") }
        let path = "/v1/session" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        return try decode(SessionResponse.self, from: try await send(.GET, path, body: nil), path: "/v1/session")
    }

    public func waitForChanges(since cursor: Int64, timeout: Duration) async throws -> WaitResponse {
        let seconds = max(0, timeout.components.seconds)
        let path = "/v1/changes/wait?since=\(cursor)&timeout=\(seconds)"
        // The request itself may take the whole wait: its own time limit is the wait and a margin.
        let payload = try await send(.GET, path, body: nil, timeout: .seconds(seconds + 15))
        return try decode(WaitResponse.self, from: payload, path: "/v1/changes/wait")
    }

    public func registerLaptops(_ request: HubLaptopsRequest) async throws -> HubLaptopsResponse {
        let body = ByteBuffer(data: try JSONEncoder().encode(request))
        let payload = try await send(.POST, "/v1/hub/laptops", body: (body, false))
        return try decode(HubLaptopsResponse.self, from: payload, path: "/v1/hub/laptops")
    }

    public func push(_ request: PushRequest, lineage: PushLineage?) async throws -> PushResponse {
        let query = lineage.map { "?writer=\($0.writer)&counter=\($0.counter)&tag=\($0.tag)" } ?? ""
        let payload = try await send(.POST, "/v1/changes" + query, body: Self.encodedBody(of: request))
        return try decode(PushResponse.self, from: payload, path: "/v1/changes")
    }

    public func pull(since cursor: Int64, limit: Int, includeOwn: Bool, settled: SettledWrites?) async throws
        -> PullResponse
    {
        var path = "/v1/changes?since=\(cursor)&limit=\(limit)" + (includeOwn ? "&own=1" : "")
        if let settled { path += "&writer=\(settled.writer.rawValue)&settled=\(settled.counter)" }
        let payload = try await send(.GET, path, body: nil)
        do {
            return try WireCodec.decodePullResponse(payload)
        } catch .malformed(let error) {
            throw unreadable(path, cause: error)
        } catch .invalidChange(let error) {
            throw SyncClientError(.badResponse, "the server sent a malformed change: \(error.message)")
        }
    }

    /// A push body as sent: `WireCodec`'s JSON, gzip'd from `BodyCompression.threshold` bytes.
    static func encodedBody(of request: PushRequest) throws -> (body: ByteBuffer, isGzip: Bool) {
        let json = WireCodec.encode(request)
        guard json.readableBytes >= BodyCompression.threshold else { return (json, false) }
        return (try BodyCompression.gzip(json), true)
    }

    /// Sends a request and returns the body of a successful answer, inflated.
    private func send(
        _ method: HTTPMethod, _ path: String, body: (body: ByteBuffer, isGzip: Bool)?, timeout: TimeAmount? = nil
    ) async throws -> ByteBuffer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: ProtocolVersion.header, value: String(ProtocolVersion.current))
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        request.headers.add(name: "User-Agent", value: "hearth")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            if body.isGzip { request.headers.add(name: "Content-Encoding", value: "gzip") }
            request.body = .bytes(body.body)
        }
        let response: HTTPClientResponse
        var payload: ByteBuffer
        do {
            response = try await client.execute(request, timeout: timeout ?? configuration.timeout)
            payload = try await response.body.collect(upTo: configuration.maxResponseBytes)
        } catch {
            throw SyncClientError(
                .unreachable, "cannot reach the server at \(baseURL): \(Self.describe(error))", cause: error)
        }
        if response.headers["Content-Encoding"].first?.lowercased() == "gzip" {
            do {
                payload = try BodyCompression.gunzip(payload, maxSize: configuration.maxResponseBytes)
            } catch {
                throw SyncClientError(.badResponse, "the server sent a damaged gzip body")
            }
        }
        guard response.status.code < 300 else {
            throw Self.error(status: Int(response.status.code), body: payload)
        }
        return payload
    }

    private func decode<Result: Decodable>(_ type: Result.Type, from payload: ByteBuffer, path: String) throws
        -> Result
    {
        do {
            return try JSONDecoder().decode(Result.self, from: payload)
        } catch {
            throw unreadable(path, cause: error)
        }
    }

    private func unreadable(_ path: String, cause: any Error) -> SyncClientError {
        SyncClientError(
            .badResponse, "the server's answer to \(path) could not be read; is \(baseURL) a Hearth server?",
            cause: cause)
    }

    /// Maps an error response to a code and the server's own message.
    static func error(status: Int, body: ByteBuffer) -> SyncClientError {
        let parsed = try? JSONDecoder().decode(ErrorResponse.self, from: body)
        let message = parsed?.error.message ?? "the server answered HTTP \(status)"
        switch (status, parsed?.error.code) {
        case (401, _): return SyncClientError(.unauthorized, "the server refused this node's token: \(message)")
        case (403, _): return SyncClientError(.forbidden, "the server refused the changes: \(message)")
        case (426, _), (_, ErrorCode.protocolTooOld?): return SyncClientError(.protocolTooOld, message)
        case (_, ErrorCode.protocolTooNew?): return SyncClientError(.protocolTooNew, message)
        case (_, ErrorCode.cursorAhead?): return SyncClientError(.cursorAhead, message)
        case (500..., _): return SyncClientError(.server, "the server failed (HTTP \(status)): \(message)")
        default: return SyncClientError(.rejected, "the server refused the request (HTTP \(status)): \(message)")
        }
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectTimeout") { return "connection timed out" }
        if text.contains("connectionRefused") || text.contains("Connection refused") {
            return "connection refused (is hearth-server running?)"
        }
        if text.contains("deadlineExceeded") { return "the request timed out" }
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
