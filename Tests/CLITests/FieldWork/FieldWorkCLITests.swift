import Foundation
import Testing

/// `hearth serve`, `hearth node` and `hearth bundle` end to end, with the real executables.
@Suite(.serialized, .oneProcessTestAtATime) struct FieldWorkCLITests {
    @Test func aCenterServesItsLaptopAndItsWritesReachAnotherCenter() throws {
        let site = try FieldSite.centerServingALaptop()
        defer { site.stop() }
        let laptops = try #require(try site.json("沙头服务中心", ["node", "list"]) as? [[String: Any]])
        #expect(laptops.map { $0["name"] as? String } == ["汽车站服务台"])
        try site.succeed("汽车站服务台", ["member", "add", "--name", "返乡工友", "--phone", "139 0000 1111"])
        try site.succeed("汽车站服务台", ["sync"])
        try site.succeed("沙头服务中心", ["sync"])
        try site.succeed("体育公园服务中心", ["sync"])
        let members = try #require(try site.json("体育公园服务中心", ["member", "list"]) as? [[String: Any]])
        #expect(members.compactMap { $0["name"] as? String } == ["返乡工友"])
        // The central office lists the laptop as the center's, registered by the center itself.
        let listed = try ChildProcess(
            binary: site.central.binary, arguments: ["node", "list", "--db", site.central.database.path],
            directory: site.directory
        ).wait(timeout: 30)
        #expect(listed.stdout.contains("汽车站服务台") && listed.stdout.contains("laptop of"))
    }

    @Test func changeFilesArePrivateSignedAndRefusedWhenDamagedOrForeign() throws {
        let site = try FieldSite.centerServingALaptop()
        defer { site.stop() }
        try site.succeed("汽车站服务台", ["sync"])
        let status = try #require(try site.json("汽车站服务台", ["status"]) as? [String: Any])
        let center = try #require(status["serverNode"] as? String)
        for i in 0..<6 {
            try site.succeed("汽车站服务台", ["member", "add", "--name", "第三天登记\(i)"])
        }
        let file = site.directory.appendingPathComponent("day3.hearth").path
        let exported = try #require(
            try site.json("汽车站服务台", ["bundle", "export", "--out", file, "--for", center]) as? [String: Any])
        #expect(exported["changes"] as? Int == 6)
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Never over an existing file.
        let again = try site.run("汽车站服务台", ["bundle", "export", "--out", file])
        #expect(again.status == 1 && again.stderr.contains("already exists"))
        // A damaged copy and a foreign center are refused, and change nothing.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[bytes.count / 2] ^= 0x01
        let tampered = site.directory.appendingPathComponent("tampered.hearth").path
        try bytes.write(to: URL(fileURLWithPath: tampered))
        let before = try site.succeed("沙头服务中心", ["status", "--json"])
        let refused = try site.run("沙头服务中心", ["bundle", "import", tampered])
        #expect(refused.status == 1 && refused.stderr.contains("signature does not match"))
        #expect(try site.succeed("沙头服务中心", ["status", "--json"]) == before)
        let foreign = try site.run("体育公园服务中心", ["bundle", "import", file])
        #expect(foreign.status == 1 && foreign.stderr.contains("neither a laptop registered here"))
        // The real file goes in once; the laptop's next sync adds nothing.
        let imported = try #require(try site.json("沙头服务中心", ["bundle", "import", file]) as? [String: Any])
        #expect(imported["accepted"] as? Int == 6)
        let replay = try #require(try site.json("沙头服务中心", ["bundle", "import", file]) as? [String: Any])
        #expect(replay["alreadyKnown"] as? Int == 6)
        try site.succeed("汽车站服务台", ["sync"])
        let members = try #require(try site.json("沙头服务中心", ["member", "list"]) as? [[String: Any]])
        #expect(members.count == 6)
    }
}
