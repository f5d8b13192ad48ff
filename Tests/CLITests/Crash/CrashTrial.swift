import Foundation
import HearthTestSupport

/// One crash trial: a fresh cluster, the data it writes, and the checks once it has recovered.
///
/// Everything random (names, sizes, where to kill) comes from the trial's seed, so
/// `HEARTH_TEST_SEED` replays the same trial; only the machine's timing differs.
final class CrashTrial {
    /// The problems a trial found after recovery; thrown so the runner reports them with the seed.
    struct Problems: Error, CustomStringConvertible {
        var list: [String]
        var description: String { list.joined(separator: "; ") }
    }

    let seed: UInt64
    var random: SeededGenerator
    var roster: CrashRoster
    var ledger = CrashLedger()
    let cluster: CrashCluster
    private var files = 0

    init(seed: UInt64, nodes: [String]) throws {
        self.seed = seed
        var random = SeededGenerator(seed: seed)
        roster = CrashRoster(random: random.fork())
        self.random = random
        cluster = try CrashCluster(nodes: nodes)
    }

    var nodes: [CrashCluster.Node] { cluster.nodes }

    /// A delay of the calibrated time of `command` times a fraction in [0, 1.1] drawn from the
    /// trial's generator; nil (no kill) in the calibration trial.
    func killDelay(_ command: String, _ calibrated: CrashTrials.Timings?) -> TimeInterval? {
        let fraction = Double(random.int(0...1_100)) / 1_000
        return calibrated.map { fraction * ($0[command] ?? 0) }
    }

    /// Writes `members` as a CSV file; returns its label (the file name) and path.
    func csvFile(_ members: [CrashRoster.Member]) throws -> (label: String, path: String) {
        files += 1
        let label = "会员名单\(files).csv"
        return (label, try cluster.write(label, CrashRoster.csv(members)))
    }

    /// Imports `count` new members on `node` and expects it to succeed.
    func importMembers(_ count: Int, on node: CrashCluster.Node) throws {
        let members = roster.members(count)
        let file = try csvFile(members)
        let imported = try cluster.succeed(node, ["member", "import", file.path, "--json"]).jsonObject()
        guard imported["imported"] as? Int == count else {
            throw Problems(list: ["import of \(count) rows reported \(imported["imported"] ?? "nil")"])
        }
        ledger.imported(file.label, members, .committed)
    }

    /// Adds `count` members one `member add` at a time; returns their ids.
    @discardableResult
    func addMembers(_ count: Int, on node: CrashCluster.Node) throws -> [String] {
        try (0..<count).map { _ in
            let member = roster.member()
            let id = try cluster.succeed(node, CrashRoster.addArguments(member)).line
            ledger.added(member, id: id, .committed)
            return id
        }
    }

    /// Adds an activity and registers `members` for it, all on `node`.
    func addActivity(registering members: [String], on node: CrashCluster.Node) throws {
        let title = random.pick(["焊工技能比赛", "劳动法讲座", "新春团圆饭", "拔河比赛", "育婴员技能比赛"])!
        let id = try cluster.succeed(
            node,
            [
                "activity", "add", "--title", title, "--kind", "contest", "--starts", "2026-03-01T09:00",
                "--center", CrashRoster.centers[0], "--capacity", "50",
            ]
        ).line
        ledger.addedActivity(id: id, title: title)
        for member in members {
            try cluster.succeed(node, ["register", member, id])
            ledger.registered(member: member, activity: id)
        }
    }

    /// Starts `hearth ARGUMENTS` on `node`, kills it after `delay` seconds; returns its end and the run time.
    func killed(_ arguments: [String], on node: CrashCluster.Node, after delay: TimeInterval?) throws -> (
        exit: ChildProcess.Exit, seconds: TimeInterval
    ) {
        let started = Date()
        let child = try cluster.launch(node, arguments)
        if let delay { child.kill9(after: delay) }
        let exit = child.wait(timeout: 120)
        if exit.timedOut { throw Problems(list: ["\(child.label) did not end within 120 s"]) }
        return (exit, Date().timeIntervalSince(started))
    }

    /// Where the server's log ends now: give it to `requests(since:)` after the command.
    var logMark: Int { cluster.server.log.utf8.count }

    /// Push and pull requests the server finished since `mark`, whatever their status.
    func requests(since mark: Int) -> (pushes: Int, pulls: Int) {
        let log = cluster.server.log.utf8.dropFirst(mark)
        let lines = String(decoding: log, as: UTF8.self).split(separator: "\n")
        return (
            lines.filter { $0.contains("POST /v1/changes ") }.count,
            lines.filter { $0.contains("GET /v1/changes") }.count
        )
    }

    /// Brings every replica back in sync and checks that nothing was lost, doubled or damaged,
    /// and that every node resumed its pull at the cursor it had stored.
    ///
    /// `killed` syncs first in each round. Then stops the server and checks its database too.
    /// Throws `Problems` listing all it found.
    func recoverAndVerify(killed: CrashCluster.Node? = nil) throws {
        var problems = try cluster.syncUntilQuiet(first: killed)
        var contents: [String: String] = [:]
        var digests: [String: String] = [:]
        for node in nodes {
            let members = try cluster.succeed(node, ["member", "list", "--json"]).jsonArray()
            let activities = try cluster.succeed(node, ["activity", "list", "--json"]).jsonArray()
            var attendance: [String: Set<String>] = [:]
            for activity in ledger.activities.keys.sorted() {
                let report = try cluster.succeed(node, ["attendance", activity, "--json"]).jsonObject()
                let participants = report["participants"] as? [[String: Any]] ?? []
                attendance[activity] = Set(
                    participants.filter { $0["status"] as? String != "cancelled" }.compactMap {
                        $0["memberId"] as? String
                    })
            }
            problems += ledger.problems(members: members).map { "\(node.name): \($0)" }
            problems += ledger.problems(activities: activities, attendance: attendance).map { "\(node.name): \($0)" }
            contents[node.name] =
                Self.canonical(members) + Self.canonical(activities)
                + attendance.keys.sorted().map { "\($0)=\(attendance[$0]!.sorted())" }.joined()
            problems += try checkReplica(node.name, database: node.database, synced: true, digest: &digests[node.name])
        }
        if Set(contents.values).count > 1 {
            problems.append("replicas hold different records: \(contents.keys.sorted())")
        }
        if Set(digests.values).count > 1 { problems.append("replica digests differ: \(digests)") }
        cluster.server.stop()
        var serverDigest: String?
        problems += try checkReplica(
            "server", database: cluster.server.database.path, synced: false, digest: &serverDigest)
        if let serverDigest, let node = digests.values.first, serverDigest != node {
            problems.append("the server's digest \(serverDigest) differs from the nodes' \(node)")
        }
        if !problems.isEmpty { throw Problems(list: problems) }
    }

    /// `hearth check --json` on one database: SQLite integrity, and the kept digest against a fresh one.
    ///
    /// `synced`: the replica has just synced, so its last sync must also have matched the server's digest.
    func checkReplica(_ name: String, database: String, synced: Bool, digest: inout String?) throws -> [String] {
        let run = try cluster.hearth.run(["check", "--json", "--db", database])
        guard let check = try? run.jsonObject() else {
            return ["\(name): hearth check exited \(run.status): \(CrashCluster.tail(run.stderr))"]
        }
        digest = check["digest"] as? String
        var problems: [String] = []
        if check["integrity"] as? String != "ok" {
            problems.append("\(name): integrity \(check["integrity"] ?? "nil")")
        }
        if check["digestConsistent"] as? Bool != true { problems.append("\(name): kept digest does not match records") }
        if synced, check["matchesServerAtLastSync"] as? Bool != true {
            problems.append("\(name): last sync's digest did not match the server's")
        }
        return problems
    }

    /// A replica's records as one comparable string: sorted by id, keys sorted.
    static func canonical(_ records: [[String: Any]]) -> String {
        let sorted = records.sorted { ($0["id"] as? String ?? "") < ($1["id"] as? String ?? "") }
        let data = try? JSONSerialization.data(withJSONObject: sorted, options: [.sortedKeys])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    func shutDown() {
        cluster.shutDown()
    }
}
