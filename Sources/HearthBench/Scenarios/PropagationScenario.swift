import AsyncHTTPClient
import Foundation
import NIOCore
import Replica
import SyncClient
import SyncCore
import SyncServer

/// B8: propagation latency. Nodes A and B both run the live sync (`SyncWatcher`, what `hearth
/// sync --watch` runs) against a real server on loopback; a member written on A is timed until
/// it is readable on B. The baseline, in the same run, is one HTTP round trip to the same server
/// (`GET /health`): the least any propagation through it could take.
enum PropagationScenario {
    static let samples = 200

    static func run(_ context: BenchContext) async throws -> [Figure] {
        let world = try await SyncWorld.start(context.workspace, name: "b8")
        var watchers: [Task<Void, Never>] = []
        do {
            let a = try world.addNode("b8-a")
            let b = try world.addNode("b8-b")
            for node in [a, b] {
                let transport = HTTPSyncTransport(baseURL: world.server.baseURL, token: node.token)
                let watcher = SyncWatcher(
                    engine: SyncEngine(replica: node.replica, transport: transport), replica: node.replica,
                    transport: transport)
                watchers.append(Task { await watcher.run { _ in } })
            }
            let roundTrip = try await medianRoundTrip(to: world.server.baseURL)
            var latencies: [Double] = []
            for sample in 0..<samples {
                let start = ContinuousClock.now
                let id = try a.replica.write { tx in
                    try tx.insert(HearthSchema.member, ["name": .text("实时\(sample)")])
                }.id
                while try b.replica.read({ try $0.record(HearthSchema.member, id: id) }) == nil {
                    guard start.duration(to: .now) < .seconds(10) else {
                        throw BenchFailure("B8: a write on A did not reach B within 10 s")
                    }
                    try await Task.sleep(for: .microseconds(200))
                }
                latencies.append(Stopwatch.seconds(start.duration(to: .now)))
                // Quiet between samples, as between two people's writes.
                try await Task.sleep(for: .milliseconds(20))
            }
            for watcher in watchers { watcher.cancel() }
            for watcher in watchers { await watcher.value }
            try await world.stop()
            latencies.sort()
            let median = latencies[latencies.count / 2]
            let p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
            return [
                Figure(.b8, "median write on A → readable on B", median * 1000, .milliseconds, target: .atMost(25)),
                Figure(.b8, "p99 write on A → readable on B", p99 * 1000, .milliseconds, target: .atMost(100)),
                Figure(.b8, "median, ratio to one HTTP round trip (baseline)", median / roundTrip, .ratio),
                Figure(.b8, "one HTTP round trip to the server (baseline)", roundTrip * 1000, .milliseconds),
            ]
        } catch {
            for watcher in watchers { watcher.cancel() }
            try? await world.stop()
            throw error
        }
    }

    /// The median of 50 `GET /health` round trips on one kept-alive connection, in seconds.
    static func medianRoundTrip(to url: URL) async throws -> Double {
        var times: [Double] = []
        for _ in 0..<50 {
            let start = ContinuousClock.now
            let request = HTTPClientRequest(url: url.absoluteString + "/health")
            let response = try await HTTPSyncTransport.sharedClient.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 16)
            times.append(Stopwatch.seconds(start.duration(to: .now)))
        }
        return times.sorted()[times.count / 2]
    }
}
