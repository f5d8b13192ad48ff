import AsyncHTTPClient
import Foundation
import NIOCore
import Replica
import SyncClient
import SyncCore
import SyncServer

/// B5: many nodes, each with its own new records, syncing at the same time against one server
/// running as `hearth-server serve` in a child process (so its peak memory can be read).
///
/// B5-pg runs the same against a server on PostgreSQL, B5-pg2 against two servers on one
/// PostgreSQL database, the nodes taking turns between them (node n syncs with server n mod 2).
enum ManyNodesScenario {
    /// One node of the crowd: its replica, token and HTTP client (each node is its own machine).
    struct CrowdNode: Sendable {
        var replica: Replica
        var token: String
        var client: HTTPClient
        var path: String
        /// The server it syncs with, by index.
        var server: Int
    }

    /// B5 on a SQLite server database.
    static func run(_ context: BenchContext) async throws -> [Figure] {
        let serverPath = context.workspace.databasePath("b5-server")
        defer { context.workspace.remove(serverPath) }
        return try await run(context, id: .b5, store: .sqlite(path: serverPath))
    }

    /// B5-pg (one server) or B5-pg2 (two) on a fresh database of the PostgreSQL cluster, dropped afterwards.
    static func run(_ context: BenchContext, onPostgres id: ScenarioID) async throws -> [Figure] {
        let (cluster, servers) = try context.postgres(for: id)
        return try await cluster.withFreshDatabase { database in
            try await run(context, id: id, store: .postgres(database, servers: servers))
        }
    }

    private static func run(_ context: BenchContext, id: ScenarioID, store: Store) async throws -> [Figure] {
        let sizes = context.sizes
        let workspace = context.workspace
        let prefix = id.rawValue.lowercased()
        var crowd: [CrowdNode] = []
        var running: [RunningServer] = []
        do {
            // Register the nodes in the server database, then close it for the server processes.
            let registrations = try await store.register((0..<sizes.nodes).map { "\(prefix)-node-\($0)" })
            for (index, registration) in registrations.enumerated() {
                let path = workspace.databasePath("\(prefix)-node-\(index)")
                let replica = try Replica.create(at: path, name: "\(prefix)-node-\(index)", nodeID: registration.id)
                crowd.append(
                    CrowdNode(
                        replica: replica, token: registration.token, client: makeClient(), path: path,
                        server: index % store.serverCount))
                try replica.insertMembers(
                    MemberRow.generate(count: sizes.changesPerNode, seed: 0x4235_0000 &+ UInt64(index)))
            }
            running = try await store.startServers(context) {
                workspace.databasePath("\(prefix)-server-\($0)") + ".log"
            }
            let baseURLs = running.map(\.baseURL)

            let tally = CountingTransport.Tally()
            let start = ContinuousClock.now
            let first = try await syncAll(crowd, baseURLs: baseURLs, tally: tally)
            let second = try await syncAll(crowd, baseURLs: baseURLs, tally: tally)
            let total = Stopwatch.seconds(start.duration(to: .now))
            let ingest = tally.snapshot.lastPushAnswered.map { Stopwatch.seconds(start.duration(to: $0)) } ?? total

            let peaks = running.map(\.peakResidentBytes)
            for server in running { try await server.stop() }
            running = []
            let expected = sizes.nodes * sizes.changesPerNode
            let serverRecords = try await store.memberCount()
            var converged =
                serverRecords == expected && second.allSatisfy { $0.digestMatches == true }
                && Set(second.map(\.serverDigest)).count == 1
            for node in crowd where converged {
                converged = try node.replica.memberCount() == expected
            }
            let moved = (first + second).reduce(0) { $0 + $1.pushed + $1.pulled }
            try await closeCrowd(crowd, workspace: workspace)
            crowd = []

            var figures = [
                Figure(
                    id, "all \(sizes.nodes) nodes converge (digests equal)", converged ? 1 : 0, .yesNo,
                    target: .atLeast(1)),
                Figure(
                    id, "total changes/s (pushed + pulled, to convergence)", Double(moved) / total, .perSecond,
                    target: .atLeast(20_000)),
            ]
            let measured = peaks.compactMap { $0 }
            if measured.count == peaks.count, let peak = measured.max() {
                let name =
                    peaks.count == 1
                    ? "server peak RSS (VmHWM of hearth-server)"
                    : "server peak RSS (VmHWM, the larger of \(peaks.count) hearth-server processes)"
                figures.append(Figure(id, name, ProcessMemory.megabytes(peak), .megabytes, target: .atMost(300)))
            } else {
                context.log.say(
                    "    \(id.rawValue): no hearth-server process (see --server-binary); server peak RSS not measured")
            }
            figures += [
                Figure(id, "pushes: changes/s into the server", Double(expected) / ingest, .perSecond),
                Figure(id, "time until all converged", total, .seconds),
            ]
            return figures
        } catch {
            for server in running { try? await server.stop() }
            try? await closeCrowd(crowd, workspace: workspace)
            throw error
        }
    }

    /// Every node syncs once, all at the same time, each with its own server.
    static func syncAll(_ crowd: [CrowdNode], baseURLs: [URL], tally: CountingTransport.Tally) async throws
        -> [SyncReport]
    {
        try await withThrowingTaskGroup(of: SyncReport.self) { group in
            for node in crowd {
                group.addTask {
                    let http = HTTPSyncTransport(baseURL: baseURLs[node.server], token: node.token, client: node.client)
                    return try await SyncEngine(
                        replica: node.replica, transport: CountingTransport(inner: http, tally: tally)
                    ).sync()
                }
            }
            var reports: [SyncReport] = []
            for try await report in group { reports.append(report) }
            return reports
        }
    }

    /// A client configured like `HTTPSyncTransport.sharedClient`.
    static func makeClient() -> HTTPClient {
        HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(
                redirectConfiguration: .disallow, timeout: .init(connect: .seconds(15), read: .seconds(120)),
                decompression: .disabled))
    }

    static func closeCrowd(_ crowd: [CrowdNode], workspace: BenchWorkspace) async throws {
        for node in crowd {
            try await node.client.shutdown()
            try node.replica.close()
            workspace.remove(node.path)
        }
    }
}
