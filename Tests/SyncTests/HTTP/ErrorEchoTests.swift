import AsyncHTTPClient
import Foundation
import HearthProtocol
import Logging
import NIOCore
import NIOHTTP1
import Replica
import SyncCore
import SyncServer
import Testing

/// Error messages never quote what the client sent, even where it is only a header or a number
/// (a phone number fits in a cursor), and a query parameter outside its documented values is a 400.
///
/// Found by `.ci/schemathesis.sh`: these answers quoted the client's Content-Encoding, protocol
/// version and `since` back.
@Suite(.serialized) struct ErrorEchoTests {
    static let phone = "13800138000"

    static func error(_ raw: (status: Int, body: Data)) throws -> ErrorResponse {
        try JSONDecoder().decode(ErrorResponse.self, from: raw.body)
    }

    @Test func anUnsupportedContentEncodingIs415AndNotQuoted() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        let raw = try await cluster.raw(
            .POST, "/v1/changes",
            headers: [
                ("Hearth-Protocol", String(ProtocolVersion.current)),
                ("Authorization", "Bearer \(cluster.tokens[a.nodeID]!)"),
                ("Content-Encoding", "zhangsan-\(Self.phone)"),
            ],
            body: Data(#"{"changes":[]}"#.utf8))
        #expect(raw.status == 415)
        let body = try Self.error(raw)
        #expect(body.error.code == ErrorCode.badRequest)
        #expect(body.error.message.contains("gzip"))
        #expect(!body.error.message.contains(Self.phone), "\(body.error.message)")
        #expect(!body.error.message.contains("zhangsan"), "\(body.error.message)")
        try await cluster.shutdown()
    }

    @Test(arguments: [("0", 426, ErrorCode.protocolTooOld), (phone, 400, ErrorCode.protocolTooNew)])
    func anUnsupportedProtocolVersionIsNotQuoted(version: String, status: Int, code: String) async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        let raw = try await cluster.raw(
            .GET, "/v1/session",
            headers: [("Hearth-Protocol", version), ("Authorization", "Bearer \(cluster.tokens[a.nodeID]!)")]
        )
        #expect(raw.status == status)
        let body = try Self.error(raw)
        #expect(body.error.code == code)
        #expect(body.error.message.contains("\(ProtocolVersion.oldestSupported) to \(ProtocolVersion.current)"))
        if version == Self.phone { #expect(!body.error.message.contains(Self.phone), "\(body.error.message)") }
        try await cluster.shutdown()
    }

    @Test func aCursorAheadOfTheFeedIs409AndNotQuoted() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        let raw = try await cluster.raw(
            .GET, "/v1/changes?since=\(Self.phone)",
            headers: [
                ("Hearth-Protocol", String(ProtocolVersion.current)),
                ("Authorization", "Bearer \(cluster.tokens[a.nodeID]!)"),
            ])
        #expect(raw.status == 409)
        let body = try Self.error(raw)
        #expect(body.error.code == ErrorCode.cursorAhead)
        #expect(!body.error.message.contains(Self.phone), "\(body.error.message)")
        try await cluster.shutdown()
    }

    @Test(arguments: ["2", "-1", "true"]) func ownOtherThan0Or1Is400(own: String) async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        let raw = try await cluster.raw(
            .GET, "/v1/changes?own=\(own)",
            headers: [
                ("Hearth-Protocol", String(ProtocolVersion.current)),
                ("Authorization", "Bearer \(cluster.tokens[a.nodeID]!)"),
            ])
        #expect(raw.status == 400)
        #expect(try Self.error(raw).error.code == ErrorCode.badRequest)
        for own in ["0", "1"] {
            let ok = try await cluster.raw(
                .GET, "/v1/changes?own=\(own)",
                headers: [
                    ("Hearth-Protocol", String(ProtocolVersion.current)),
                    ("Authorization", "Bearer \(cluster.tokens[a.nodeID]!)"),
                ])
            #expect(ok.status == 200)
        }
        try await cluster.shutdown()
    }

    /// A 422 for a malformed id names the record type only when it is a short identifier.
    @Test func aMalformedChangeDoesNotQuoteItsRecordType() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        let node = a.nodeID.rawValue
        let body =
            #"{"changes":[{"type":"\#(Self.phone)","id":"not-a-uuid","vector":{"\#(node)":1},"fields":{"#
            + #""_deleted":[{"value":0,"node":"\#(node)","counter":1,"at":0}]}}]}"#
        let raw = try await cluster.raw(
            .POST, "/v1/changes",
            headers: [
                ("Hearth-Protocol", String(ProtocolVersion.current)),
                ("Authorization", "Bearer \(cluster.tokens[a.nodeID]!)"),
            ],
            body: Data(body.utf8))
        #expect(raw.status == 422)
        let message = try Self.error(raw).error.message
        #expect(!message.contains(Self.phone), "\(message)")
        try await cluster.shutdown()
    }

    /// The request log line names the protocol's paths, and any other path only as `<other>`.
    @Test func theRequestLogNeverQuotesAnUnknownPath() async throws {
        let fixture = try await HTTPHygieneTests.Fixture.start()
        // Through AsyncHTTPClient, not a blocking RawConnection: a blocked cooperative thread
        // would stall the server of any suite running beside this one.
        var request = HTTPClientRequest(url: fixture.server.baseURL.absoluteString + "/v1/\(Self.phone)")
        request.headers.add(name: "Hearth-Protocol", value: String(ProtocolVersion.current))
        request.headers.add(name: "Authorization", value: "Bearer \(fixture.token)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.status.code == 404)
        let line = try #require(await fixture.capture.first { $0.level == .info && $0.message.contains(" 404 ") })
        #expect(line.message.contains("GET <other> 404"), "\(line.message)")
        #expect(fixture.capture.all.allSatisfy { !$0.message.contains(Self.phone) })
        try await fixture.stop()
    }
}
