public import AsyncHTTPClient
public import Foundation
public import HearthProtocol
public import NIOCore
import NIOFoundationCompat
import NIOHTTP1

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
        let configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(15), read: .seconds(120)),
            decompression: .disabled)
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

    public func session() async throws -> SessionResponse {
        try await send(.GET, "/v1/session", body: Optional<PushRequest>.none)
    }

    public func push(_ request: PushRequest) async throws -> PushResponse {
        try await send(.POST, "/v1/changes", body: request)
    }

    public func pull(since cursor: Int64, limit: Int) async throws -> PullResponse {
        try await send(.GET, "/v1/changes?since=\(cursor)&limit=\(limit)", body: Optional<PushRequest>.none)
    }

    private func send<Body: Encodable, Result: Decodable>(_ method: HTTPMethod, _ path: String, body: Body?)
        async throws -> Result
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: ProtocolVersion.header, value: String(ProtocolVersion.current))
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        request.headers.add(name: "User-Agent", value: "hearth")
        if let body {
            var buffer = ByteBuffer(data: try JSONEncoder().encode(body))
            request.headers.add(name: "Content-Type", value: "application/json")
            if buffer.readableBytes >= BodyCompression.threshold {
                buffer = try BodyCompression.gzip(buffer)
                request.headers.add(name: "Content-Encoding", value: "gzip")
            }
            request.body = .bytes(buffer)
        }
        let response: HTTPClientResponse
        var payload: ByteBuffer
        do {
            response = try await client.execute(request, timeout: configuration.timeout)
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
        do {
            return try JSONDecoder().decode(Result.self, from: payload)
        } catch {
            throw SyncClientError(
                .badResponse, "the server's answer to \(path) could not be read; is \(baseURL) a Hearth server?",
                cause: error)
        }
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
