import Foundation
import HearthTestSupport

/// A `hearth sync` killed at a point drawn from the trial's seed, and where in the sync the kill landed.
///
/// The server logs a request when it has finished it, so the requests it logged by the kill were
/// answered, and those it logged after were in flight: the node was killed while the server
/// still merged its push page or read its pull page.
struct SyncKill {
    typealias Requests = (pushes: Int, pulls: Int)

    var exit: ChildProcess.Exit
    var delay: TimeInterval?
    /// How long the sync ran, killed or not.
    var seconds: TimeInterval
    /// Push and pull requests the server had finished when the kill was sent.
    var atKill: Requests
    /// The same once the server had finished the requests in flight at the kill.
    var seen: Requests

    /// Starts `hearth sync --json` on `node` and kills it after `delay` (nil: lets it finish).
    ///
    /// `editing` starts a `member edit ID --notes TEXT` on the same replica at the same time
    /// (never killed): a write made while a sync is in flight must survive the sync and its kill.
    static func run(
        _ trial: CrashTrial, on node: CrashCluster.Node, after delay: TimeInterval?,
        editing edit: (member: String, notes: String)? = nil
    ) throws -> SyncKill {
        let mark = trial.logMark
        let started = Date()
        let child = try trial.cluster.launch(node, ["sync", "--json"])
        let editor = try edit.map {
            try trial.cluster.launch(node, ["member", "edit", $0.member, "--notes", $0.notes])
        }
        if let delay { child.kill9(after: delay) }
        let atKill = trial.requests(since: mark)
        let exit = child.wait(timeout: 120)
        let seconds = Date().timeIntervalSince(started)
        if exit.timedOut { throw CrashTrial.Problems(list: ["hearth sync did not end within 120 s"]) }
        if delay == nil, !exit.succeeded { throw CrashTrial.Problems(list: ["sync failed: \(exit.summary)"]) }
        if let editor, let edit {
            let edited = editor.wait(timeout: 60)
            guard edited.succeeded else {
                throw CrashTrial.Problems(list: ["member edit during the sync failed: \(edited.summary)"])
            }
            trial.ledger.edited(member: edit.member, notes: edit.notes)
        }
        // Let the server finish what was in flight: wait until its log stops growing (at most 2 s).
        var seen = trial.requests(since: mark)
        for _ in 0..<40 {
            Thread.sleep(forTimeInterval: 0.05)
            let now = trial.requests(since: mark)
            if now == seen { break }
            seen = now
        }
        return SyncKill(exit: exit, delay: delay, seconds: seconds, atKill: atKill, seen: seen)
    }

    /// Kills `hearth sync` on `node` one to three times in a row (how many is drawn from the trial's
    /// seed), each at its own point, so a sync resumed after a kill is killed again; the first has
    /// `editing` beside it. In the calibration trial (`calibrated` nil): one sync, not killed.
    static func series(
        _ trial: CrashTrial, on node: CrashCluster.Node, calibrated: CrashTrials.Timings?,
        editing edit: (member: String, notes: String)
    ) throws -> [SyncKill] {
        let count = calibrated == nil ? 1 : trial.random.int(1...3)
        var kills = [try run(trial, on: node, after: trial.killDelay("sync", calibrated), editing: edit)]
        for _ in 1..<count {
            kills.append(try run(trial, on: node, after: trial.killDelay("sync", calibrated)))
        }
        return kills
    }

    /// A landing for a series: the first kill's phase, every kill's detail.
    static func landing(_ kills: [SyncKill], phase: (SyncKill) -> String) -> CrashTrials.Landing {
        let later = kills.dropFirst().map { "then \(phase($0)) (\($0.detail))" }
        return CrashTrials.Landing(
            phase: phase(kills[0]), detail: ([kills[0].detail] + later).joined(separator: "; "),
            timings: ["sync": kills[0].seconds])
    }

    var killed: Bool { exit.bySignal }

    /// Where a kill of a sync with `pages` push pages landed.
    func pushPhase(pages: Int) -> String {
        if !killed { return "sync finished first" }
        if seen.pushes == 0 { return "before the first push page" }
        if seen.pulls > 0 { return "after the push" }
        if seen.pushes > atKill.pushes { return "push page in flight" }
        return atKill.pushes < pages ? "between push pages" : "push done, pull not sent"
    }

    /// Where a kill of a sync with `pages` pull pages landed.
    func pullPhase(pages: Int) -> String {
        if !killed { return "sync finished first" }
        if seen.pulls == 0 { return "before the first pull page" }
        if seen.pulls > atKill.pulls { return "pull page in flight" }
        return atKill.pulls < pages ? "applying a pulled page" : "all pages answered, node applying"
    }

    var detail: String {
        let when = delay.map { "killed at \(CrashTrials.milliseconds($0))" } ?? "not killed"
        return "\(when); server had finished \(atKill.pushes) push and \(atKill.pulls) pull requests, "
            + "then \(seen.pushes - atKill.pushes) and \(seen.pulls - atKill.pulls) more"
    }
}
