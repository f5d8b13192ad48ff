import Testing

/// The crash tests read `hearth-server`'s log: the port it chose, and where each pull started.
@Suite struct ServerLogTests {
    static let log = """
        2026-11-30T15:22:22+0000 info hearth-server: [HummingbirdCore] Server started and listening on 127.0.0.1:41805
        2026-11-30T15:22:22+0000 info hearth-server: [hearth_server] hearth-server listening on [IPv4]127.0.0.1/127.0.0.1:41805, database c.db
        2026-11-30T15:22:27+0000 info hearth-server: hb.request.id=84c8 [SyncServer] GET /v1/session 200 1.0ms
        2026-11-30T15:22:27+0000 info hearth-server: hb.request.id=84c9 [SyncServer] POST /v1/changes 200 84.4ms pushed=500 accepted=500 conflicts=0
        2026-11-30T15:22:27+0000 info hearth-server: hb.request.id=84ca [SyncServer] GET /v1/changes 200 50.6ms since=1000 pulled=1000 next=2000
        2026-11-30T15:22:28+0000 info hearth-server: hb.request.id=84cb [SyncServer] GET /v1/changes 200 80.0ms since=2000 pulled=3 next=2003

        """

    @Test func thePortComesFromHearthServersOwnLine() {
        #expect(ServerProcess.listeningPort(in: Self.log) == 41805)
        #expect(ServerProcess.listeningPort(in: "Server started and listening on 127.0.0.1:9") == nil)
    }

    @Test func theFirstPullAfterAMarkGivesItsCursor() {
        #expect(CrashCluster.firstPullCursor(in: Self.log, after: 0) == 1000)
        let mark = Self.log.utf8.count - Self.log.split(separator: "\n").last!.utf8.count - 1
        #expect(CrashCluster.firstPullCursor(in: Self.log, after: mark) == 2000)
        #expect(CrashCluster.firstPullCursor(in: Self.log, after: Self.log.utf8.count) == nil)
    }
}
