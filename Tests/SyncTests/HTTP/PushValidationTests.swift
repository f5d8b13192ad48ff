import Foundation
import HearthProtocol
import NIOHTTP1
import Replica
import SyncClient
import SyncCore
import SyncServer
import Testing

/// The server refuses pushes that would make replicas disagree, and recovers from a replaced feed.
@Suite(.serialized) struct PushValidationTests {
    @Test func rewritingAnotherNodesKnownWriteIsRefused() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        let b = try cluster.addNode("b")
        let member = try a.write { tx in
            try tx.insert(HearthSchema.member, ["name": .text("张三"), "phone": .text("13800000000")])
        }
        try await cluster.sync(a)
        try await cluster.sync(b)
        // b forges a's write: same dot, another phone number.
        var forged = try #require(try b.read { try $0.record(HearthSchema.member, id: member.id) })
        var phone = try #require(forged.fields["phone"]).shown
        phone.value = .text("13999999999")
        forged.fields["phone"] = FieldState(single: phone)
        let response = try await cluster.transport(for: b).push(PushRequest(changes: [WireChange(forged)]))
        #expect(response.refused.map(\.code) == [ErrorCode.forbidden])
        #expect(response.refused.first?.message.contains("cannot be altered") == true)
        #expect(response.refused.first?.message.contains("13999999999") == false)
        let onServer = try cluster.server.store.replica.read { try $0.record(HearthSchema.member, id: member.id) }
        #expect(onServer?.value("phone") == .text("13800000000"))
        try await cluster.shutdown()
    }

    @Test(arguments: [
        (#""300""#, "capacity"), ("7", "title"), ("2", "_deleted"), (#""party""#, "kind"),
    ])
    func aValueOfTheWrongTypeIsRefusedAloneAndNamesNoValue(json: String, field: String) async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        let node = a.nodeID.rawValue
        let id = UUIDText.random()
        let version = { (value: String) in #"[{"value":\#(value),"node":"\#(node)","counter":1,"at":0}]"# }
        var fields = [
            "title": version(#""比赛""#), "kind": version(#""contest""#), "startsAt": version(#""2026-12-01""#),
            "_deleted": version("0"),
        ]
        fields[field] = version(json)
        let body =
            #"{"changes":[{"type":"activity","id":"\#(id)","vector":{"\#(node)":1},"fields":{"#
            + fields.map { #""\#($0.key)":\#($0.value)"# }.joined(separator: ",") + "}}]}"
        let raw = try await cluster.raw(
            .POST, "/v1/changes",
            headers: [
                ("Hearth-Protocol", String(ProtocolVersion.current)),
                ("Authorization", "bearer \(cluster.tokens[a.nodeID]!)"),
            ],
            body: Data(body.utf8))
        #expect(raw.status == 200, "\(String(decoding: raw.body, as: UTF8.self))")
        let response = try JSONDecoder().decode(PushResponse.self, from: raw.body)
        #expect(response.refused.map(\.index) == [0])
        #expect(response.refused.map(\.code) == [ErrorCode.invalidChange])
        #expect(response.refused.first?.message.contains(field) == true)
        #expect(response.refused.first?.message.contains("比赛") == false)
        #expect(try cluster.server.store.replica.read { try $0.count(HearthSchema.activity) } == 0)
        try await cluster.shutdown()
    }

    @Test(arguments: [
        (#""counter":1.5"#, 400, "problem at .changes[0].fields.name[0].counter"),
        (#""counter":"1""#, 400, "problem at .changes[0].fields.name[0].counter"),
        (#""counter":0"#, 422, "field name has a malformed dot"),
    ])
    func aMalformedOrInvalidChangeIsRefusedWithItsPlace(counter: String, status: Int, message: String) async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        let node = a.nodeID.rawValue
        let body =
            #"{"changes":[{"type":"member","id":"\#(UUIDText.random())","vector":{"\#(node)":1},"fields":{"#
            + #""name":[{"value":"张三","node":"\#(node)",\#(counter),"at":0}]}}]}"#
        let raw = try await cluster.raw(
            .POST, "/v1/changes",
            headers: [
                ("Hearth-Protocol", String(ProtocolVersion.current)),
                ("Authorization", "bearer \(cluster.tokens[a.nodeID]!)"),
            ],
            body: Data(body.utf8))
        let text = String(decoding: raw.body, as: UTF8.self)
        #expect(raw.status == status, "\(text)")
        #expect(text.contains(message), "\(text)")
        #expect(!text.contains("张三"))
        try await cluster.shutdown()
    }

    @Test func aNodeWhoseCursorIsAheadOfTheFeedPullsEverythingAgain() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("a")
        let b = try cluster.addNode("b")
        try a.write { tx in for i in 0..<5 { try tx.insert(HearthSchema.member, ["name": .text("会员\(i)")]) } }
        try await cluster.sync(a)
        // b believes it has pulled far more than the server's feed holds (a replaced server database).
        _ = try b.applyPulledPage([], cursor: 1_000, nodeNames: [:])
        let report = try await cluster.sync(b)
        #expect(report.pulled == 5)
        #expect(report.digestMatches == true)
        try await cluster.shutdown()
    }
}
