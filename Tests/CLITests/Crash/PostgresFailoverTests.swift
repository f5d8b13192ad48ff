import Foundation
import HearthTestSupport
import PostgresTestSupport
import Testing

/// Two real `hearth-server` processes over one PostgreSQL database, as behind a load balancer:
/// one is killed with SIGKILL while a center pushes through it, the center carries on through
/// the other, and every replica converges with nothing lost or doubled.
@Suite(
    "Two hearth-servers over PostgreSQL, one killed mid-push",
    .enabled(if: PostgresTestDatabase.isAvailable, PostgresTestDatabase.skipReason), .oneProcessTestAtATime)
struct PostgresFailoverTests {
    struct Center {
        var name: String
        var token: String
        var database: String
    }

    @Test(arguments: TestSeeds.cases(2))
    func aServerKilledMidPushLosesNothingAndTheOtherServesOn(seed: UInt64) async throws {
        var random = SeededGenerator(seed: seed)
        try await PostgresTestDatabase.with { database in
            var hearth = try HearthProcess()
            hearth.timeout = 120
            defer { hearth.cleanUp() }
            let servers = [
                try ServerProcess(directory: hearth.directory, postgresURL: database.url),
                try ServerProcess(directory: hearth.directory, postgresURL: database.url),
            ]
            defer { for server in servers { server.kill9() } }
            var centers: [Center] = []
            for (index, name) in ["沙头服务中心", "体育公园服务中心", "工业园服务中心"].enumerated() {
                let (_, token) = try servers[index % 2].addNode(name)
                centers.append(
                    Center(
                        name: name, token: token,
                        database: hearth.directory.appendingPathComponent("center\(index).db").path))
            }
            for server in servers { try server.start() }
            for (index, center) in centers.enumerated() {
                try succeed(
                    hearth,
                    ["init", "--name", center.name, "--server", servers[index % 2].url, "--token", center.token],
                    center)
            }
            // The first center has 3,000 members to push (six pages); the others a few each.
            let rows = (0..<3_000).map { "会员\($0),139\(String(format: "%08d", $0))" }
            let file = hearth.directory.appendingPathComponent("members.csv")
            try Data(("姓名,电话\n" + rows.joined(separator: "\n") + "\n").utf8).write(to: file)
            try succeed(hearth, ["member", "import", file.path], centers[0])
            for center in centers.dropFirst() {
                for number in 0..<5 {
                    try succeed(hearth, ["member", "add", "--name", "\(center.name)会员\(number)"], center)
                }
            }

            // The push goes to server 0 (six pages of 500); it is killed once it has answered a
            // number of them drawn from the seed, so the kill lands mid-push.
            let killAfter = Int.random(in: 1...4, using: &random)
            let (killed, answeredPushes) = try Self.killMidPush(
                servers[0], after: killAfter, syncing: centers[0], hearth)
            #expect(!killed.bySignal && !killed.timedOut && [0, 1].contains(killed.status), "\(killed.summary)")
            #expect(!killed.succeeded, "the kill must land before the sync ends; \(TestSeeds.comment(seed))")

            // The center carries on through the other server; the killed one comes back later.
            try succeed(hearth, ["remote", "set", servers[1].url, "--token", centers[0].token], centers[0])
            try succeed(hearth, ["sync"], centers[0])
            try servers[0].start()
            var digests: Set<String> = []
            for round in 0..<3 {
                digests = []
                for (index, center) in centers.enumerated() {
                    let server = servers[(round + index) % 2]
                    try succeed(hearth, ["remote", "set", server.url, "--token", center.token], center)
                    let report = try succeed(hearth, ["sync", "--json"], center).jsonObject()
                    #expect(report["refused"] as? Int ?? 0 == 0)
                    digests.insert(
                        try succeed(hearth, ["status", "--json"], center).jsonObject()["digest"] as? String ?? "")
                }
            }
            #expect(digests.count == 1, "every replica holds the same data; \(TestSeeds.comment(seed))")
            for center in centers {
                let members = try succeed(hearth, ["member", "list", "--json"], center).jsonArray()
                #expect(members.count == 3_010, "\(center.name): every member once; \(TestSeeds.comment(seed))")
                try succeed(hearth, ["check"], center)
            }
            print(
                "[postgres-failover] seed \(seed): first sync "
                    + "\(killed.succeeded ? "finished before the kill" : "cut by the kill") after \(answeredPushes) push pages"
            )
        }
    }

    /// Starts `hearth sync` on `center` and kills `server` with SIGKILL once it has answered
    /// `pages` push pages. It polls from this thread, blocking: a task sleeping on the shared
    /// cooperative pool can wake too late when other tests keep its threads busy.
    private static func killMidPush(
        _ server: ServerProcess, after pages: Int, syncing center: Center, _ hearth: HearthProcess
    ) throws -> (sync: ChildProcess.Exit, answered: Int) {
        let sync = try ChildProcess(
            binary: hearth.binary, arguments: ["sync", "--json", "--db", center.database],
            directory: hearth.directory, label: "hearth sync on \(center.name)")
        let deadline = Date().addingTimeInterval(60)
        while sync.isRunning, pushesAnswered(by: server) < pages, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.002)
        }
        server.kill9()
        let answered = pushesAnswered(by: server)
        return (sync.wait(timeout: 120), answered)
    }

    /// How many push pages a server has answered, by its request log.
    private static func pushesAnswered(by server: ServerProcess) -> Int {
        server.log.components(separatedBy: "POST /v1/changes").count - 1
    }

    /// Runs `hearth` on a center's replica; anything but exit 0 fails the test with its stderr.
    @discardableResult
    private func succeed(_ hearth: HearthProcess, _ arguments: [String], _ center: Center) throws
        -> HearthProcess.Result
    {
        let result = try hearth.run(arguments + ["--db", center.database])
        try #require(
            result.status == 0,
            "hearth \(arguments.prefix(2).joined(separator: " ")) on \(center.name): \(result.stderr)")
        return result
    }
}
