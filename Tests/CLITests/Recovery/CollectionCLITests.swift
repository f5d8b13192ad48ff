import Foundation
import Testing

/// Deleting a member with the real executables, as a new user would check it: after syncing
/// everywhere until the delete is forgotten, `strings` on every replica file finds nothing of it.
@Suite(.serialized, .oneProcessTestAtATime) struct CollectionCLITests {
    /// Every byte of a database file and its log, what `strings FILE FILE-wal` reads.
    static func fileBytes(_ path: String) -> Data {
        var bytes = Data()
        for suffix in ["", "-wal"] {
            if let data = FileManager.default.contents(atPath: path + suffix) { bytes.append(data) }
        }
        return bytes
    }

    @Test func aDeletedMemberLeavesNoTraceInAnyReplicaFile() throws {
        let cluster = try CrashCluster(nodes: ["沙头服务中心", "体育公园服务中心"])
        defer { cluster.shutDown() }
        let (shatou, park) = (cluster.nodes[0], cluster.nodes[1])
        let name = "欧阳娜娜"
        let phone = "139 8765 4321"
        let added = try cluster.succeed(shatou, ["member", "add", "--name", name, "--phone", phone])
        let id = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try cluster.succeed(shatou, ["member", "add", "--name", "李四"])
        try cluster.succeed(shatou, ["sync"])
        try cluster.succeed(park, ["sync"])
        #expect(try cluster.succeed(park, ["member", "list", "--json"]).stdout.contains(name))

        try cluster.succeed(park, ["member", "remove", id])
        var forgot = 0
        for _ in 0..<4 {
            for node in [park, shatou] {
                let report = try cluster.succeed(node, ["sync", "--json"]).jsonObject()
                forgot += report["collected"] as? Int ?? 0
                #expect(report["digestMatches"] as? Bool == true)
            }
        }
        #expect(forgot == 2, "each node forgot the tombstone once")
        for node in [park, shatou] {
            let status = try cluster.succeed(node, ["status", "--json"]).jsonObject()
            #expect(status["tombstones"] as? Int == 0)
        }
        cluster.server.stop()
        for path in cluster.nodes.map(\.database) + [cluster.server.database.path] {
            let bytes = Self.fileBytes(path)
            #expect(bytes.range(of: Data(name.utf8)) == nil, "the name is still in \(path)")
            #expect(bytes.range(of: Data(phone.utf8)) == nil, "the phone is still in \(path)")
            #expect(bytes.range(of: Data("李四".utf8)) != nil, "the check must see live values in \(path)")
        }
    }
}
