import Foundation

/// The local-write fault: a `member import` of a few thousand rows, then a loop of `member add`,
/// each killed at a point drawn from the trial's seed.
///
/// Right after each kill the replica is checked as the kill left it (SQLite integrity, kept
/// digest), before anything else opens it. An import killed before it committed is run again,
/// which must then succeed: a killed writer never leaves a replica that refuses the next one.
final class LocalWriteKills {
    struct Outcome {
        var phase: String
        var detail: String
        var seconds: TimeInterval
    }

    let trial: CrashTrial
    let calibrated: CrashTrials.Timings?
    let node: CrashCluster.Node
    let rows: Int
    let adds: Int
    private var killedImport: (label: String, path: String)?

    /// Writes on the first node; starts from a member on every other node, synced, so recovery
    /// has something to merge.
    init(trial: CrashTrial, calibrated: CrashTrials.Timings?, rows: Int, adds: Int) throws {
        self.trial = trial
        self.calibrated = calibrated
        self.rows = rows
        self.adds = adds
        node = trial.nodes[0]
        for other in trial.nodes.dropFirst() {
            try trial.addMembers(1, on: other)
            try trial.cluster.succeed(other, ["sync"])
        }
    }

    /// Imports `rows` new members, killed at a random point; the file is whole on the replica or absent.
    func importKilled() throws -> Outcome {
        let members = trial.roster.members(rows)
        let file = try trial.csvFile(members)
        let delay = trial.killDelay("import", calibrated)
        let (exit, seconds) = try trial.killed(["member", "import", file.path, "--json"], on: node, after: delay)
        let reported =
            (try? JSONSerialization.jsonObject(with: Data(exit.stdout.utf8)) as? [String: Any])?["imported"] as? Int
        guard exit.succeeded || exit.bySignal else {
            throw CrashTrial.Problems(list: ["member import failed without a kill: \(exit.summary)"])
        }
        let committed = exit.succeeded || reported == rows
        trial.ledger.imported(file.label, members, committed ? .committed : .uncertain)
        try checkKilledReplica()
        let listed = try trial.cluster.succeed(node, ["member", "list", "--json"]).jsonArray()
        let present = trial.ledger.presentRows(of: file.label, in: listed)
        if !committed && present == 0 { killedImport = file }
        let phase =
            !exit.bySignal
            ? "import finished first"
            : present == 0 ? "import killed, nothing in" : present == rows ? "import killed, all in" : "import PARTIAL"
        let killed = delay.map { "killed at \(CrashTrials.milliseconds($0))" } ?? "not killed"
        return Outcome(phase: phase, detail: "import \(killed), \(present) of \(rows) rows in", seconds: seconds)
    }

    /// Runs `adds` `member add` commands one after another and kills the one running at a random point.
    func addLoopKilled() throws -> Outcome {
        let delay = trial.killDelay("addLoop", calibrated)
        let started = Date()
        var killedAt: Int?
        for index in 0..<adds {
            let member = trial.roster.member()
            let remaining = delay.map { max(0, $0 - Date().timeIntervalSince(started)) }
            let (exit, _) = try trial.killed(CrashRoster.addArguments(member), on: node, after: remaining)
            let printed = UUID(uuidString: exit.line) != nil
            if exit.succeeded || printed {
                trial.ledger.added(member, id: printed ? exit.line.lowercased() : nil, .committed)
            } else if exit.bySignal {
                trial.ledger.added(member, id: nil, .uncertain)
                killedAt = index
                break
            } else {
                throw CrashTrial.Problems(list: ["member add failed without a kill: \(exit.summary)"])
            }
        }
        let seconds = Date().timeIntervalSince(started)
        guard let killedAt else {
            return Outcome(phase: "add loop finished first", detail: "\(adds) adds, none killed", seconds: seconds)
        }
        try checkKilledReplica()
        return Outcome(
            phase: "add killed", detail: "add \(killedAt + 1) of \(adds) killed after \(killedAt) exited 0",
            seconds: seconds)
    }

    /// SQLite integrity and the kept digest of the replica as the kill left it.
    func checkKilledReplica() throws {
        var digest: String?
        let problems = try trial.checkReplica(
            "\(node.name) after the kill", database: node.database, synced: false, digest: &digest)
        if !problems.isEmpty { throw CrashTrial.Problems(list: problems) }
    }

    /// Imports the killed file again when the kill left none of it; that import must succeed.
    func importAgainIfAbsent() throws {
        guard let file = killedImport else { return }
        let again = try trial.cluster.succeed(node, ["member", "import", file.path, "--json"]).jsonObject()
        guard again["imported"] as? Int == rows else {
            throw CrashTrial.Problems(list: ["importing the file again reported \(again["imported"] ?? "nil")"])
        }
        trial.ledger.settle(file.label)
    }
}
