import Foundation
import Testing

/// `hearth sync --watch` with the real executables: two watching centers on a real server.
@Suite(.serialized, .oneProcessTestAtATime) struct LiveSyncCLITests {
    /// Reads `replica`'s members until one is named `name` (at most about 20 s); true if seen.
    static func appears(_ name: String, on replica: String, _ site: FieldSite) throws -> Bool {
        for _ in 0..<400 {
            if try site.succeed(replica, ["member", "list", "--json"]).contains(name) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    @Test func aWriteOnOneWatchingCenterAppearsOnTheOtherEvenAcrossAServerRestart() throws {
        let site = try FieldSite()
        defer { site.stop() }
        try site.addCenter("沙头服务中心", forward: false)
        try site.addCenter("体育公园服务中心", forward: false)
        let watchers = try ["沙头服务中心", "体育公园服务中心"].map { center in
            try ChildProcess(
                binary: site.hearth, arguments: ["sync", "--watch", "--db", site.path(center)],
                directory: site.directory, label: "hearth sync --watch")
        }
        try site.succeed("沙头服务中心", ["member", "add", "--name", "实时会员"])
        #expect(try Self.appears("实时会员", on: "体育公园服务中心", site))
        // The server stops (SIGTERM: it must not wait for the watchers' long polls) and comes back.
        site.central.stop()
        try site.succeed("体育公园服务中心", ["member", "add", "--name", "断网时登记"])
        try site.central.start()
        #expect(try Self.appears("断网时登记", on: "沙头服务中心", site))
        for watcher in watchers { watcher.interrupt() }
        for watcher in watchers {
            let exit = watcher.wait(timeout: 20)
            #expect(exit.succeeded, "hearth sync --watch did not stop cleanly on SIGINT: \(exit.summary)")
            #expect(exit.stderr.contains("stopped watching"))
            #expect(exit.stderr.contains("not in sync") || exit.stderr.contains("in sync"))
        }
    }
}
