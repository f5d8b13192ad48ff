import Foundation
import HearthProtocol
import Logging
import NIOCore
import SyncCore
import SyncServer
import Testing

/// What the server does with clients that misbehave: their faults are 400s logged quietly,
/// nothing they sent is echoed, idle connections are closed, and every request line names its node.
@Suite(.serialized) struct HTTPHygieneTests {
    /// A server logging into `capture`, with one registered node.
    struct Fixture {
        let directory: URL
        let server: EmbeddedServer
        let capture: LogCapture
        let node: NodeID
        let token: String

        static func start(idleTimeout: Duration? = .seconds(60), bodyDeadline: Duration = .seconds(600)) async throws
            -> Fixture
        {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "hearth-http-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let capture = LogCapture()
            let server = try await EmbeddedServer.start(
                databasePath: directory.appendingPathComponent("server.db").path,
                configuration: .init(host: "127.0.0.1", port: 0, idleTimeout: idleTimeout, bodyDeadline: bodyDeadline),
                logger: capture.logger)
            let (node, token) = try server.store.addNode(name: "沙头服务中心", canForward: false)
            return Fixture(directory: directory, server: server, capture: capture, node: node.id, token: token)
        }

        func head(_ method: String, _ path: String, extra: [String] = []) -> String {
            ([
                "\(method) \(path) HTTP/1.1", "Host: 127.0.0.1", "Hearth-Protocol: \(ProtocolVersion.current)",
                "Authorization: Bearer \(token)",
            ] + extra).joined(separator: "\r\n") + "\r\n\r\n"
        }

        /// The one request line logged for `path`, once it is there.
        func requestLine(_ path: String) async -> LogCapture.Entry? {
            await capture.first { $0.level == .info && $0.message.contains(" \(path) ") }
        }

        var errorLines: [LogCapture.Entry] { capture.all.filter { $0.level >= .warning } }

        func stop() async throws {
            try await server.stop()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    static func status(of response: Data) -> Int? {
        let text = String(decoding: response.prefix(64), as: UTF8.self)
        guard text.hasPrefix("HTTP/1.1 ") else { return nil }
        return Int(text.dropFirst(9).prefix(3))
    }

    @Test func malformedChunkedBodyIs400AndNotLoggedAsAnError() async throws {
        let fixture = try await Fixture.start()
        let response = try await RawConnection.exchange(
            port: fixture.server.port, fixture.head("POST", "/v1/changes", extra: ["Transfer-Encoding: chunked"]),
            "5\r\n{\"cha\r\nzz-not-hex\r\n"
        ).data
        #expect(Self.status(of: response) == 400, "\(String(decoding: response, as: UTF8.self))")
        let line = await fixture.requestLine("/v1/changes")
        #expect(line?.message.contains(" 400 ") == true)
        #expect(fixture.errorLines.isEmpty, "\(fixture.errorLines.map(\.message))")
        try await fixture.stop()
    }

    @Test func uploadCutOffMidBodyIs400AndNotLoggedAsAnError() async throws {
        let fixture = try await Fixture.start()
        _ = try await RawConnection.exchange(
            port: fixture.server.port, fixture.head("POST", "/v1/changes", extra: ["Content-Length: 5000"]),
            "{\"changes\":[{\"type\":\"member\",\"fields\":{\"name\":\"张三", finishing: true)
        let line = await fixture.requestLine("/v1/changes")
        #expect(line?.message.contains(" 400 ") == true, "\(line?.message ?? "no request line")")
        #expect(fixture.errorLines.isEmpty, "\(fixture.errorLines.map(\.message))")
        try await fixture.stop()
    }

    @Test func gzipBodyWithoutItsTrailerIs400() async throws {
        let fixture = try await Fixture.start()
        let body = #"{"changes":[]}"# + String(repeating: " ", count: 4_000)
        let packed = try BodyCompression.gzip(ByteBuffer(string: body))
        let truncated = Data(packed.getBytes(at: packed.readerIndex, length: packed.readableBytes - 8)!)
        let head = fixture.head(
            "POST", "/v1/changes",
            extra: ["Content-Encoding: gzip", "Content-Length: \(truncated.count)", "Connection: close"])
        let response = try await RawConnection.exchange(port: fixture.server.port, [Data(head.utf8), truncated]).data
        let text = String(decoding: response, as: UTF8.self)
        #expect(Self.status(of: response) == 400, "\(text)")
        #expect(text.contains("not valid gzip"))
        try await fixture.stop()
    }

    @Test func errorMessagesNeverEchoThePathOrMethod() async throws {
        let fixture = try await Fixture.start()
        for (method, path) in [
            ("GET", "/v1/%E5%BC%A0%E4%B8%8913800138000"), ("GET", "/13800138000"), ("DELETE", "/v1/changes"),
            ("PATCH", "/health"),
        ] {
            let response = try await RawConnection.exchange(
                port: fixture.server.port, fixture.head(method, path, extra: ["Connection: close"])
            ).data
            let text = String(decoding: response, as: UTF8.self)
            let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined()
            #expect([404, 405].contains(Self.status(of: response) ?? 0), "\(method) \(path): \(text)")
            #expect(body.contains("\"error\""), "\(method) \(path): \(text)")
            for echoed in ["13800138000", "%E5", "张三"] + (method == "GET" ? [] : [method]) {
                #expect(!body.contains(echoed), "\(method) \(path) echoes \(echoed): \(body)")
            }
        }
        try await fixture.stop()
    }

    @Test func theRequestLogLineCarriesTheNodeID() async throws {
        let fixture = try await Fixture.start()
        let response = try await RawConnection.exchange(
            port: fixture.server.port, fixture.head("GET", "/v1/session", extra: ["Connection: close"])
        ).data
        #expect(Self.status(of: response) == 200)
        let line = try #require(await fixture.requestLine("/v1/session"))
        #expect(line.metadata["node"] == fixture.node.rawValue)
        #expect(!line.message.contains(fixture.token))
        try await fixture.stop()
    }

    /// The server closes a connection that sends nothing, and one that stalls in its head.
    @Test func idleAndStalledConnectionsAreClosedByTheServer() async throws {
        let fixture = try await Fixture.start(idleTimeout: .milliseconds(200))
        let port = fixture.server.port
        #expect(try await RawConnection.exchange(port: port).closedByServer)
        let stalled = try await RawConnection.exchange(
            port: port, "POST /v1/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
        #expect(stalled.closedByServer)
        // A connection that keeps talking is served.
        let busy = try await RawConnection.exchange(
            port: port, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        #expect(Self.status(of: busy.data) == 200)
        try await fixture.stop()
    }

    @Test func anUploadThatTricklesPastTheBodyDeadlineGets408() async throws {
        let fixture = try await Fixture.start(idleTimeout: .seconds(5), bodyDeadline: .milliseconds(300))
        let head = fixture.head(
            "POST", "/v1/changes", extra: ["Content-Type: application/json", "Content-Length: 100000"])
        let port = fixture.server.port
        let answer = try await RawConnection.offThePool {
            let slow = try RawConnection(port: port, readTimeout: 3)
            try slow.send(head)
            for _ in 0..<10 {
                // A few bytes at a time, each well within the idle timeout.
                try? slow.send("{\"changes\"")
                Thread.sleep(forTimeInterval: 0.1)
            }
            return slow.readUntilClosed().data
        }
        #expect(Self.status(of: answer) == 408)
        try await fixture.stop()
    }
}
