import Foundation
import Testing

/// Re-install and server restore with the real executables, as the README tells staff to do them.
@Suite(.serialized, .oneProcessTestAtATime) struct RecoveryCLITests {
    @Test func aServerRestoredWithHearthServerBackupLosesNothingItsNodesHold() throws {
        let cluster = try CrashCluster(nodes: ["沙头服务中心", "体育公园服务中心"])
        defer { cluster.shutDown() }
        let (shatou, park) = (cluster.nodes[0], cluster.nodes[1])
        try cluster.succeed(shatou, ["member", "add", "--name", "张三", "--phone", "138 0000 0000"])
        try cluster.succeed(shatou, ["sync"])
        try cluster.succeed(park, ["sync"])

        // A backup taken while the server runs; then more work reaches the server only.
        let backup = cluster.directory.appendingPathComponent("central-backup.db").path
        let made = try ChildProcess(
            binary: cluster.server.binary,
            arguments: ["backup", "--db", cluster.server.database.path, "--out", backup],
            directory: cluster.directory
        ).wait(timeout: 30)
        #expect(made.succeeded, "\(made.summary)")
        try cluster.succeed(park, ["member", "add", "--name", "李四", "--residency", "nonlocal"])
        try cluster.succeed(park, ["sync"])
        try cluster.succeed(shatou, ["sync"])

        // The server's disk is lost: the backup goes in its place.
        cluster.server.stop()
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: cluster.server.database.path + suffix)
        }
        try FileManager.default.copyItem(atPath: backup, toPath: cluster.server.database.path)
        try cluster.server.start()

        let first = try cluster.succeed(park, ["sync", "--json"]).jsonObject()
        #expect(first["serverRestored"] as? Bool == true)
        _ = try cluster.syncUntilQuiet()
        let lists = try cluster.nodes.map { try cluster.succeed($0, ["member", "list", "--json"]).stdout }
        #expect(lists[0] == lists[1])
        #expect(lists[0].contains("张三") && lists[0].contains("李四"))
    }

    @Test func aLaptopReinstalledWithTheSameTokenGetsItsWritesBackAndGoesOn() throws {
        let cluster = try CrashCluster(nodes: ["沙头服务中心"])
        defer { cluster.shutDown() }
        let (_, token) = try cluster.server.addNode("志愿者笔记本")
        let first = cluster.directory.appendingPathComponent("laptop.db").path
        let init1 = try cluster.hearth.run([
            "init", "--name", "志愿者笔记本", "--server", cluster.server.url, "--token", token, "--db", first,
        ])
        #expect(init1.status == 0, "\(init1.stderr)")
        let added = try cluster.hearth.run(["member", "add", "--name", "王小明", "--db", first])
        let id = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try cluster.hearth.run(["sync", "--db", first]).status == 0)

        // The laptop is wiped; `hearth init` runs again with the same token.
        let second = cluster.directory.appendingPathComponent("laptop-new.db").path
        let init2 = try cluster.hearth.run([
            "init", "--name", "志愿者笔记本", "--server", cluster.server.url, "--token", token, "--db", second,
        ])
        #expect(init2.status == 0, "\(init2.stderr)")
        #expect(init2.stdout.contains("synced before"))
        #expect(try cluster.hearth.run(["sync", "--db", second]).status == 0)
        #expect(try cluster.hearth.run(["member", "list", "--json", "--db", second]).stdout.contains("王小明"))
        let edit = try cluster.hearth.run(["member", "edit", id, "--phone", "139 1111 2222", "--db", second])
        #expect(edit.status == 0, "\(edit.stderr)")
        let synced = try cluster.hearth.run(["sync", "--json", "--db", second]).jsonObject()
        #expect(synced["refused"] as? Int == 0)
        #expect(synced["digestMatches"] as? Bool == true)
        try cluster.succeed(cluster.nodes[0], ["sync"])
        let center = try cluster.succeed(cluster.nodes[0], ["member", "show", id, "--json"]).stdout
        #expect(center.contains("139 1111 2222"))
    }
}
