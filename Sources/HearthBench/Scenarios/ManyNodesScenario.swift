import AsyncHTTPClient
import Foundation
import NIOCore
import Replica
import SyncClient
import SyncCore
import SyncServer

/// B5: many nodes, each with its own new records, syncing at the same time against one server
/// running as `hearth-server serve` in a child process (so its peak memory can be read).
enum ManyNodesScenario {
    /// One node of the crowd: its replica, token and HTTP client (each node is its own machine).
    struct CrowdNode: Sendable {
        var replica: Replica
        var token: String
        var client: HTTPClient
        var path: String
    }

    static func run(_ context: BenchContext) async throws -> [Figure] {
        let sizes = context.sizes
        let workspace = context.workspace
        let serverPath = workspace.databasePath("b5-server")
        var crowd: [CrowdNode] = []
        var running: RunningServer?
        do {
            // Register the nodes in the server database, then close it for the server process.
            let store = try SQLiteServerStore(path: serverPath)
            var registrations: [(id: NodeID, token: String)] = []
            for index in 0..<sizes.nodes {
                let (node, token) = try store.addNode(name: "b5-node-\(index)", canForward: false, id: nil)
                registrations.append((node.id, token))
            }
            try store.close()
            for (index, registration) in registrations.enumerated() {
                let path = workspace.databasePath("b5-node-\(index)")
                let replica = try Replica.create(at: path, name: "b5-node-\(index)", nodeID: registration.id)
                crowd.append(CrowdNode(replica: replica, token: registration.token, client: makeClient(), path: path))
                try replica.insertMembers(
                    MemberRow.generate(count: sizes.changesPerNode, seed: 0x4235_0000 &+ UInt64(index)))
            }
            let server = try await RunningServer.start(context, databasePath: serverPath)
            running = server

            let tally = CountingTransport.Tally()
            let start = ContinuousClock.now
            let first = try await syncAll(crowd, baseURL: server.baseURL, tally: tally)
            let second = try await syncAll(crowd, baseURL: server.baseURL, tally: tally)
            let total = Stopwatch.seconds(start.duration(to: .now))
            let ingest = tally.snapshot.lastPushAnswered.map { Stopwatch.seconds(start.duration(to: $0)) } ?? total

            let peak = server.peakResidentBytes
            try await server.stop()
            running = nil
            let expected = sizes.nodes * sizes.changesPerNode
            let serverRecords = try RawInsert.count("member", in: serverPath)
            var converged =
                serverRecords == expected && second.allSatisfy { $0.digestMatches == true }
                && Set(second.map(\.serverDigest)).count == 1
            for node in crowd where converged {
                converged = try node.replica.memberCount() == expected
            }
            let moved = (first + second).reduce(0) { $0 + $1.pushed + $1.pulled }
            try await closeCrowd(crowd, workspace: workspace)
            crowd = []
            workspace.remove(serverPath)

            var figures = [
                Figure(
                    .b5, "all \(sizes.nodes) nodes converge (digests equal)", converged ? 1 : 0, .yesNo,
                    target: .atLeast(1)),
                Figure(
                    .b5, "total changes/s (pushed + pulled, to convergence)", Double(moved) / total, .perSecond,
                    target: .atLeast(20_000)),
            ]
            if let peak {
                figures.append(
                    Figure(
                        .b5, "server peak RSS (VmHWM of hearth-server)", ProcessMemory.megabytes(peak), .megabytes,
                        target: .atMost(300)))
            } else {
                context.log.say("    B5: no hearth-server process (see --server-binary); server peak RSS not measured")
            }
            figures += [
                Figure(.b5, "pushes: changes/s into the server", Double(expected) / ingest, .perSecond),
                Figure(.b5, "time until all converged", total, .seconds),
            ]
            return figures
        } catch {
            try? await running?.stop()
            try? await closeCrowd(crowd, workspace: workspace)
            workspace.remove(serverPath)
            throw error
        }
    }

    /// Every node syncs once, all at the same time.
    static func syncAll(_ crowd: [CrowdNode], baseURL: URL, tally: CountingTransport.Tally) async throws -> [SyncReport]
    {
        try await withThrowingTaskGroup(of: SyncReport.self) { group in
            for node in crowd {
                group.addTask {
                    let http = HTTPSyncTransport(baseURL: baseURL, token: node.token, client: node.client)
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

/// The server B5 syncs against: `hearth-server` in a child process, or embedded when the
/// executable cannot be found (then its memory is not measured).
enum RunningServer {
    case process(ServerProcess)
    case embedded(EmbeddedServer)

    static func start(_ context: BenchContext, databasePath: String) async throws -> RunningServer {
        guard let binary = context.serverBinary else {
            return .embedded(try await EmbeddedServer.start(databasePath: databasePath))
        }
        return .process(
            try await ServerProcess.start(binary: binary, databasePath: databasePath, logPath: databasePath + ".log"))
    }

    var baseURL: URL {
        switch self {
        case .process(let server): server.baseURL
        case .embedded(let server): server.baseURL
        }
    }

    var peakResidentBytes: Int? {
        if case .process(let server) = self { return server.peakResidentBytes }
        return nil
    }

    func stop() async throws {
        switch self {
        case .process(let server): server.stop()
        case .embedded(let server): try await server.stop()
        }
    }
}
