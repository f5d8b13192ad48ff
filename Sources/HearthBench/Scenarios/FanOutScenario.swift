import AsyncHTTPClient
import Foundation
import NIOCore
import Replica
import SyncClient
import SyncCore
import SyncServer
import Synchronization

/// B9: one server holding many watching nodes idle, then one write fanned out to all of them.
///
/// Every watching node is a real replica running the live sync (`SyncWatcher`, what `hearth sync
/// --watch` runs) with its own HTTP client, against `hearth-server serve` in a child process. Once
/// all are idle in their long polls, the server's resident memory is read; then one node that does
/// not watch writes a member and syncs, and the time until every watcher has synced it into its
/// replica is measured, with the server's peak memory. The baseline, in the same run, is the
/// same crowd sending one `GET /health` each at once: the least a fan-out to all of them costs.
///
/// The watchers look at their own replicas once a second instead of every 5 ms: on their own
/// machines each would, but 2,000 of them on this one would measure the bench, not the server.
enum FanOutScenario {
    static let localPollInterval: Duration = .seconds(1)

    static func run(_ context: BenchContext) async throws -> [Figure] {
        let count = context.sizes.watchers
        let workspace = context.workspace
        OpenFileLimit.raiseToHard()
        let serverPath = workspace.databasePath("b9-server")
        defer { workspace.remove(serverPath) }
        let store = ManyNodesScenario.Store.sqlite(path: serverPath)
        var crowd: [ManyNodesScenario.CrowdNode] = []
        var running: [RunningServer] = []
        var watchers: [Task<Void, Never>] = []
        do {
            let registrations = try await store.register(["b9-writer"] + (0..<count).map { "b9-watcher-\($0)" })
            for (index, registration) in registrations.enumerated() {
                let name = index == 0 ? "b9-writer" : "b9-watcher-\(index - 1)"
                let path = workspace.databasePath(name)
                crowd.append(
                    ManyNodesScenario.CrowdNode(
                        replica: try Replica.create(at: path, name: name, nodeID: registration.id),
                        token: registration.token, client: ManyNodesScenario.makeClient(), path: path, server: 0))
            }
            context.log.say("    \(count) watching nodes created")
            running = try await store.startServers(context) { _ in workspace.databasePath("b9-server") + ".log" }
            let server = running[0]
            let writer = crowd[0]
            let watching = Array(crowd.dropFirst())

            let floor = try await crowdRoundTrip(watching, to: server.baseURL)
            let tally = Tally.Shared()
            for node in watching {
                let transport = HTTPSyncTransport(baseURL: server.baseURL, token: node.token, client: node.client)
                var watcher = SyncWatcher(
                    engine: SyncEngine(replica: node.replica, transport: transport), replica: node.replica,
                    transport: transport)
                watcher.localPollInterval = localPollInterval
                let id = node.replica.nodeID
                watchers.append(
                    Task {
                        await watcher.run { event in tally.state.withLock { $0.note(event, of: id, at: .now) } }
                    })
            }
            try await waitUntil("every node synced once and is watching", within: .seconds(300)) {
                tally.state.withLock { $0.syncedOnce.count } == count
            }
            // Let the last of them settle into their long polls.
            try await Task.sleep(for: .seconds(2))
            let idleResident = server.residentBytes
            context.log.say("    \(count) nodes watching; fanning one write out")

            let cpuBefore = (server: server.cpuSeconds, nodes: ProcessCPU.seconds())
            let start = ContinuousClock.now
            tally.state.withLock { $0.writeStarted = start }
            let written = try writer.replica.write { tx in
                try tx.insert(HearthSchema.member, ["name": .text("扇出"), "phone": .text("13900009999")])
            }.id
            let pushed = try await SyncEngine(
                replica: writer.replica,
                transport: HTTPSyncTransport(baseURL: server.baseURL, token: writer.token, client: writer.client)
            ).sync()
            guard pushed.pushed == 1 else { throw BenchFailure("B9: the writer's sync did not push its member") }
            try await waitUntil("every watching node pulled the write", within: .seconds(120)) {
                tally.state.withLock { $0.arrivals.count } == count
            }
            let arrivals = tally.state.withLock { $0.arrivals.values.sorted() }
            let cpuAfter = (server: server.cpuSeconds, nodes: ProcessCPU.seconds())
            let peak = server.peakResidentBytes
            for watcher in watchers { watcher.cancel() }
            for watcher in watchers { await watcher.value }
            watchers = []
            for node in watching where try node.replica.read({ try $0.record(HearthSchema.member, id: written) }) == nil
            {
                throw BenchFailure("B9: node \(node.replica.nodeID.short) reported the write but does not hold it")
            }
            for server in running { try await server.stop() }
            running = []
            try await ManyNodesScenario.closeCrowd(crowd, workspace: workspace)
            crowd = []

            let all = Stopwatch.seconds(start.duration(to: arrivals.last!))
            let half = Stopwatch.seconds(start.duration(to: arrivals[arrivals.count / 2]))
            var figures = [
                Figure(.b9, "time until all \(count) watching nodes hold the write", all, .seconds, target: .atMost(2)),
                Figure(.b9, "time until half of them hold it", half, .seconds),
                Figure(.b9, "all, ratio to one GET /health from each at once (baseline)", all / floor, .ratio),
                Figure(.b9, "one GET /health from each node at once (baseline)", floor, .seconds),
            ]
            if let before = cpuBefore.server, let after = cpuAfter.server {
                figures.append(
                    Figure(.b9, "server CPU time through the fan-out (user + system)", after - before, .seconds))
            }
            if let before = cpuBefore.nodes, let after = cpuAfter.nodes {
                figures.append(
                    Figure(
                        .b9, "the \(count) nodes' CPU time through it (this process, user + system)", after - before,
                        .seconds))
            }
            if let idleResident, let peak {
                figures += [
                    Figure(
                        .b9, "server RSS with \(count) nodes watching idle (VmRSS)",
                        ProcessMemory.megabytes(idleResident), .megabytes, target: .atMost(300)),
                    Figure(
                        .b9, "server peak RSS through the fan-out (VmHWM)", ProcessMemory.megabytes(peak), .megabytes,
                        target: .atMost(300)),
                ]
            } else {
                context.log.say("    B9: no hearth-server process (see --server-binary); server RSS not measured")
            }
            return figures
        } catch {
            for watcher in watchers { watcher.cancel() }
            for watcher in watchers { await watcher.value }
            for server in running { try? await server.stop() }
            try? await ManyNodesScenario.closeCrowd(crowd, workspace: workspace)
            throw error
        }
    }

    /// What the watchers reported: who synced at least once, and when each first pulled
    /// something after the write started.
    struct Tally {
        /// The tally all watchers report to.
        final class Shared: Sendable {
            let state = Mutex(Tally())
        }

        var syncedOnce: Set<NodeID> = []
        var writeStarted: ContinuousClock.Instant?
        var arrivals: [NodeID: ContinuousClock.Instant] = [:]

        mutating func note(_ event: SyncWatcher.Event, of node: NodeID, at time: ContinuousClock.Instant) {
            guard case .synced(let report) = event else { return }
            syncedOnce.insert(node)
            if writeStarted != nil, report.pulled > 0, arrivals[node] == nil { arrivals[node] = time }
        }
    }

    /// Every node of `crowd` sends one `GET /health` on its own client, all at once; the seconds
    /// until the last answer.
    static func crowdRoundTrip(_ crowd: [ManyNodesScenario.CrowdNode], to url: URL) async throws -> Double {
        let everyoneAsks = {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for node in crowd {
                    group.addTask {
                        let request = HTTPClientRequest(url: url.absoluteString + "/health")
                        let response = try await node.client.execute(request, timeout: .seconds(60))
                        _ = try await response.body.collect(upTo: 1 << 16)
                    }
                }
                try await group.waitForAll()
            }
        }
        // Once to open the connections, as the watchers' first syncs will have; then timed.
        try await everyoneAsks()
        let start = ContinuousClock.now
        try await everyoneAsks()
        return Stopwatch.seconds(start.duration(to: .now))
    }

    static func waitUntil(_ what: String, within limit: Duration, _ done: () -> Bool) async throws {
        let start = ContinuousClock.now
        while !done() {
            guard start.duration(to: .now) < limit else { throw BenchFailure("B9: not within \(limit): \(what)") }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}
