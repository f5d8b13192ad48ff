import Foundation

/// The server fault: `hearth-server` killed with SIGKILL while nodes push and pull, then started again.
///
/// The server's database is checked as the kill left it (SQLite integrity, kept digest), and
/// the server is started again at once on the same port, as a service manager would: the
/// nodes' syncs still running then either fail cleanly (exit 1, never a crash) or carry on
/// against the new incarnation. (Left down, a sync keeps retrying the connection for the HTTP
/// client's 15 s connect timeout before it gives up.)
struct ServerKill {
    struct Outcome {
        var phase: String
        var detail: String
        var seconds: TimeInterval
        var syncsSucceeded: Bool
    }

    let trial: CrashTrial

    /// Starts `hearth sync` on every node of `nodes` at once and kills the server after `delay` (nil: never).
    ///
    /// `pushPages`: how many push requests the syncs make in all, to tell the push phase from the pull.
    func run(syncing nodes: [CrashCluster.Node], pushPages: Int, killAfter delay: TimeInterval?) throws -> Outcome {
        let server = trial.cluster.server
        let mark = trial.logMark
        let started = Date()
        let syncs = try nodes.map { try trial.cluster.launch($0, ["sync", "--json"]) }
        var killed = false
        var answered = (pushes: 0, pulls: 0)
        var problems: [String] = []
        if let delay {
            Thread.sleep(forTimeInterval: delay)
            if syncs.contains(where: \.isRunning) {
                server.kill9()
                killed = true
                answered = trial.requests(since: mark)
                var digest: String?
                problems += try trial.checkReplica(
                    "server after the kill", database: server.database.path, synced: false, digest: &digest)
                try server.start()
            }
        }
        let exits = syncs.map { $0.wait(timeout: 120) }
        let seconds = Date().timeIntervalSince(started)
        if !killed { answered = trial.requests(since: mark) }
        for (node, exit) in zip(nodes, exits) where exit.bySignal || exit.timedOut || ![0, 1].contains(exit.status) {
            problems.append("\(node.name): sync ended badly when the server went away: \(exit.summary)")
        }
        if !problems.isEmpty { throw CrashTrial.Problems(list: problems) }
        let phase =
            !killed
            ? "syncs finished first"
            : answered.pushes + answered.pulls == 0
                ? "before the first answer" : answered.pushes < pushPages ? "during the pushes" : "during the pulls"
        let ended = exits.map { $0.succeeded ? "ok" : "exit \($0.status)" }.joined(separator: "/")
        let when = killed ? "killed at \(CrashTrials.milliseconds(delay ?? 0))" : "not killed"
        return Outcome(
            phase: phase,
            detail: "\(when), \(answered.pushes) pushes and \(answered.pulls) pulls finished before it, syncs \(ended)",
            seconds: seconds, syncsSucceeded: exits.allSatisfy(\.succeeded))
    }
}
