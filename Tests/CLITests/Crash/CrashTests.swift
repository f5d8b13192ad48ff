import Foundation
import Testing

/// `kill -9` of the real `hearth` and `hearth-server` processes at random points, then recovery.
///
/// Each trial builds a fresh cluster (a server on a free loopback port and two nodes), kills a
/// process after a delay drawn from its seed (a sync up to three times in a row), restarts what
/// was killed, syncs every node until quiet and checks with `CrashTrial.recoverAndVerify()`:
/// the same records on every replica, every write that exited 0 there exactly once, imports
/// whole or absent, SQLite integrity and digests clean on nodes and server, every digest equal
/// to the server's.
/// `HEARTH_CRASH_TRIALS=200` runs more trials; `HEARTH_TEST_SEED=<seed>` replays one.
@Suite(.oneProcessTestAtATime) struct CrashTests {
    /// Data sizes chosen so that the killed command runs long enough to be hit in its middle
    /// (push pages hold 500 records, pull pages 1,000; a sync of these takes a few hundred ms).
    enum Size {
        /// Pending records of a node whose push is killed: two push pages.
        static let push = 800
        /// Records a node pulls while its sync is killed: two pull pages.
        static let pull = 1_200
        /// Rows of the CSV file whose import is killed.
        static let importRows = 1_000
        /// `member add` commands in the loop one of which is killed.
        static let addLoop = 6
        /// Records one node pushes and the other pulls while the server is killed.
        static let serverPush = 600
        static let serverPull = 1_000
    }

    @Test func killingSyncMidPushLosesAndDoublesNothing() {
        CrashTrials.run("kill hearth sync mid-push") { seed, calibrated in
            let trial = try CrashTrial(seed: seed, nodes: ["沙头服务中心", "体育公园服务中心"])
            defer { trial.shutDown() }
            let (shatou, park) = (trial.nodes[0], trial.nodes[1])
            try trial.importMembers(Size.push, on: shatou)
            let added = try trial.addMembers(1, on: shatou)
            try trial.addActivity(registering: added, on: shatou)
            try trial.addMembers(1, on: park)
            try trial.cluster.succeed(park, ["sync"])
            let kills = try SyncKill.series(
                trial, on: shatou, calibrated: calibrated, editing: (added[0], "同步时修改的备注"))
            try trial.recoverAndVerify(killed: shatou)
            return SyncKill.landing(kills) { $0.pushPhase(pages: (Size.push + 3 + 499) / 500) }
        }
    }

    @Test func killingSyncMidPullLosesAndDoublesNothing() {
        CrashTrials.run("kill hearth sync mid-pull") { seed, calibrated in
            let trial = try CrashTrial(seed: seed, nodes: ["沙头服务中心", "工业园服务中心"])
            defer { trial.shutDown() }
            let (shatou, industrial) = (trial.nodes[0], trial.nodes[1])
            try trial.importMembers(Size.pull, on: shatou)
            try trial.addActivity(registering: try trial.addMembers(1, on: shatou), on: shatou)
            try trial.cluster.succeed(shatou, ["sync"])
            let added = try trial.addMembers(1, on: industrial)
            let kills = try SyncKill.series(
                trial, on: industrial, calibrated: calibrated, editing: (added[0], "拉取时修改的备注"))
            try trial.recoverAndVerify(killed: industrial)
            return SyncKill.landing(kills) { $0.pullPhase(pages: (Size.pull + 3 + 999) / 1_000) }
        }
    }

    @Test func killingLocalWritesLeavesWholeWritesOrNone() {
        CrashTrials.run("kill hearth during local writes") { seed, calibrated in
            let trial = try CrashTrial(seed: seed, nodes: ["沙头服务中心", "南村服务中心"])
            defer { trial.shutDown() }
            let writes = try LocalWriteKills(
                trial: trial, calibrated: calibrated, rows: Size.importRows, adds: Size.addLoop)
            let landing = try writes.importKilled()
            let loop = try writes.addLoopKilled()
            try writes.importAgainIfAbsent()
            try trial.recoverAndVerify(killed: writes.node)
            return CrashTrials.Landing(
                phase: "\(landing.phase); \(loop.phase)", detail: "\(landing.detail); \(loop.detail)",
                timings: ["import": landing.seconds, "addLoop": loop.seconds])
        }
    }

    @Test func killingTheServerWhileNodesSyncLosesAndDoublesNothing() {
        CrashTrials.run("kill hearth-server while nodes sync") { seed, calibrated in
            let trial = try CrashTrial(seed: seed, nodes: ["沙头服务中心", "体育公园服务中心"])
            defer { trial.shutDown() }
            let (shatou, park) = (trial.nodes[0], trial.nodes[1])
            try trial.importMembers(Size.serverPull, on: shatou)
            try trial.cluster.succeed(shatou, ["sync"])
            try trial.addMembers(1, on: shatou)
            try trial.importMembers(Size.serverPush, on: park)
            try trial.addActivity(registering: try trial.addMembers(1, on: park), on: park)
            let delay = trial.killDelay("syncs", calibrated)
            let pushPages = (Size.serverPush + 3 + 499) / 500 + 1
            let server = try ServerKill(trial: trial).run(
                syncing: [park, shatou], pushPages: pushPages, killAfter: delay)
            if delay == nil, !server.syncsSucceeded {
                throw CrashTrial.Problems(list: ["syncs failed without a kill: \(server.detail)"])
            }
            try trial.recoverAndVerify(killed: park)
            return CrashTrials.Landing(phase: server.phase, detail: server.detail, timings: ["syncs": server.seconds])
        }
    }
}
