import Foundation
import HearthCLI
import Replica
import SyncClient
import SyncCore
import SyncServer

/// `hearth demo`: three union sites work offline, sync through an embedded server, edit the
/// same member concurrently, resolve the conflict, and end with proof that all replicas agree.
///
/// Everything happens in a temporary folder and on a free loopback port; nothing else is needed.
public struct DemoStory {
    /// Where the story is told (stdout in the CLI; a buffer in tests).
    let say: (String) -> Void
    let keepFiles: Bool

    public init(keepFiles: Bool = false, say: @escaping (String) -> Void) {
        self.say = say
        self.keepFiles = keepFiles
    }

    struct Site {
        let name: String
        let replica: Replica
        let token: String
    }

    /// Runs the demo; returns true when every replica ends with the server's digest.
    @discardableResult
    public func run() async throws -> Bool {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "hearth-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if !keepFiles { try? FileManager.default.removeItem(at: folder) } }

        say("Hearth demo: three union sites and a central office, all on this machine.")
        say("Working folder: \(folder.path)\n")
        let server = try await EmbeddedServer.start(databasePath: folder.appendingPathComponent("central.db").path)
        do {
            let agreed = try await tell(folder: folder, server: server)
            try await server.stop()
            return agreed
        } catch {
            try? await server.stop()
            throw error
        }
    }

    private func tell(folder: URL, server: EmbeddedServer) async throws -> Bool {
        say("1. The central office starts hearth-server on 127.0.0.1:\(server.port) and registers three nodes.")
        var sites: [Site] = []
        for name in ["沙头服务中心", "体育公园服务中心", "志愿者笔记本-1"] {
            let (node, token) = try server.store.addNode(name: name, canForward: false)
            let replica = try Replica.create(
                at: folder.appendingPathComponent("\(node.id.short).db").path, name: name, nodeID: node.id)
            sites.append(Site(name: name, replica: replica, token: token))
            say("   \(name)  node \(node.id.short)…")
        }
        let (shatou, park, laptop) = (sites[0], sites[1], sites[2])

        say("\n2. No network: each site keeps working on its own replica.")
        let (zhangWei, contest) = try shatou.replica.write { tx in
            let zhang = try tx.insert(
                HearthSchema.member,
                [
                    "name": .text("张伟"), "phone": .text("13800001111"), "employer": .text("港区吊装公司"),
                    "center": .text("沙头服务中心"), "residency": .text("nonlocal"),
                ])
            try tx.insert(
                HearthSchema.member, ["name": .text("李娜"), "center": .text("沙头服务中心"), "residency": .text("local")])
            let event = try tx.insert(
                HearthSchema.activity,
                [
                    "title": .text("塔吊司机技能比武"), "kind": .text("contest"), "startsAt": .text("2026-12-06T09:00"),
                    "location": .text("工业园区训练场"), "capacity": .integer(2),
                ])
            return (zhang.id, event.id)
        }
        say("   沙头服务中心 records members 张伟 and 李娜 and the activity 塔吊司机技能比武 (2 places).")
        try park.replica.write { tx in
            try tx.insert(
                HearthSchema.member, ["name": .text("陈静"), "center": .text("体育公园服务中心"), "skills": .text("育婴师")])
            try tx.insert(
                HearthSchema.member, ["name": .text("王芳"), "center": .text("体育公园服务中心"), "residency": .text("nonlocal")])
        }
        say("   体育公园服务中心 records members 陈静 and 王芳.")
        try laptop.replica.write { tx in
            try tx.insert(
                HearthSchema.member, ["name": .text("赵磊"), "employer": .text("返乡服务点"), "residency": .text("nonlocal")])
        }
        say("   志愿者笔记本-1, at the bus-station help desk, registers 赵磊.")

        say("\n3. The network is back: everyone syncs (push, then pull).")
        for site in sites + [shatou, park] { try await sync(site, server: server) }

        say("\n4. Offline again, two sites edit the same member without seeing each other.")
        try shatou.replica.write { tx in
            try tx.update(
                HearthSchema.member, id: zhangWei, ["phone": .text("13800002222"), "employer": .text("港区吊装二公司")])
            try Roster(tx).register(member: zhangWei, activity: contest)
        }
        say("   沙头服务中心 changes 张伟's phone to 13800002222 and his employer, and registers him for the contest.")
        try park.replica.write { tx in
            try tx.update(
                HearthSchema.member, id: zhangWei, ["phone": .text("13900003333"), "center": .text("体育公园服务中心")])
            try Roster(tx).register(member: zhangWei, activity: contest)
        }
        say("   体育公园服务中心 changes 张伟's phone to 13900003333 and his center, and registers him too.")

        say("\n5. Both sync. Different fields merge; the same field is a conflict, kept for a person to decide.")
        for site in [shatou, park, shatou] { try await sync(site, server: server) }
        let conflicts = try shatou.replica.read { try $0.conflicts() }
        for conflict in conflicts { say("   conflict \(conflict.id): \(conflict.explanation)") }
        let registrations = try shatou.replica.read { try Attendance.load(activity: contest, $0) }
        say(
            "   The two registrations of 张伟 collapsed into \(registrations.registered) participation (same member, same activity)."
        )

        say("\n6. Staff at 沙头服务中心 settle it: `hearth conflicts resolve \(conflicts.first?.id ?? "ID") --keep local`.")
        try shatou.replica.write { tx in
            for conflict in conflicts { try tx.resolve(conflict, .keepLocal) }
        }
        for site in [shatou, park, laptop] { try await sync(site, server: server) }

        say("\n7. Final state of every replica:")
        var digests: [String] = []
        for site in sites {
            let (members, digest, open) = try site.replica.read { reader in
                (try reader.list(HearthSchema.member), try reader.digest(), try reader.conflicts().count)
            }
            var table = TextTable(headers: ["name", "phone", "employer", "center"])
            for member in members {
                table.append([
                    member["name"].description, member["phone"].description, member["employer"].description,
                    member["center"].description,
                ])
            }
            say("   \(site.name)  (\(members.count) members, \(open) open conflicts, digest \(digest.hex.prefix(12))…)")
            say(table.render().split(separator: "\n").map { "     " + $0 }.joined(separator: "\n"))
            digests.append(digest.hex)
        }
        let serverDigest = try server.store.replica.read { try $0.digest() }.hex
        let agreed = Set(digests + [serverDigest]).count == 1
        if agreed {
            say("\nAll three replicas and the server hold identical data: digest \(serverDigest).")
        } else {
            say("\nDIVERGENCE: the digests differ (\(digests.joined(separator: ", ")); server \(serverDigest)).")
        }
        for site in sites { try site.replica.close() }
        return agreed
    }

    private func sync(_ site: Site, server: EmbeddedServer) async throws {
        let transport = HTTPSyncTransport(baseURL: server.baseURL, token: site.token)
        let report = try await SyncEngine(replica: site.replica, transport: transport).sync()
        let check =
            report.digestMatches.map { $0 ? "digest matches the server" : "DIGEST DIFFERS" } ?? "digest not compared"
        say(
            "   \(site.name): pushed \(report.pushed), pulled \(report.pulled), conflicts \(report.conflicts); \(check)"
        )
    }
}
