import Foundation
import Replica
import SyncCore
import SyncServer

/// B7: a fresh node pulls a large server replica; its client side runs in a child process
/// (`hearth-bench b7-client`) whose peak memory must not grow with the data.
enum LargeInitialSyncScenario {
    static func run(_ context: BenchContext) async throws -> [Figure] {
        let count = context.sizes.initialSync
        if let seeded = context.largeServer, seeded.records != count {
            context.largeServer = nil
            try await seeded.stop()
        }
        if context.largeServer == nil {
            context.log.say("    seeding the server with \(NumberText.grouped(count)) members (once per invocation)…")
            context.largeServer = try await SeededServer.make(context, records: count)
        }
        let seeded = context.largeServer!
        let (node, token) = try seeded.server.store.addNode(name: "b7-fresh-node", canForward: false, id: nil)
        let path = context.workspace.databasePath("b7-node")
        defer { context.workspace.remove(path) }
        guard let me = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw BenchFailure("B7: cannot find this executable to run its client side")
        }
        let run = try await ChildProcess.run(
            URL(fileURLWithPath: me),
            ["b7-client", "--url", seeded.server.baseURL.absoluteString, "--node-id", node.id.rawValue, "--db", path],
            environment: [InitialSyncClientCommand.tokenVariable: token])
        guard run.status == 0, let result = try? JSONDecoder().decode(InitialSyncClientResult.self, from: run.output)
        else {
            throw BenchFailure(
                "B7: the client process failed (exit \(run.status)): \(String(decoding: run.output, as: UTF8.self).prefix(300))"
            )
        }
        guard result.pulled == count, result.stored == count, result.digestMatches else {
            throw BenchFailure("B7: the fresh node pulled \(result.pulled) and stored \(result.stored) of \(count)")
        }
        let early = result.residentBytes(afterPulling: count / 10)
        var figures = [
            Figure(
                .b7, "client peak RSS (VmHWM of the client process)", ProcessMemory.megabytes(result.peakBytes),
                .megabytes,
                target: .atMost(250))
        ]
        if let early {
            figures.append(Figure(.b7, "client RSS after 10% of the pull", ProcessMemory.megabytes(early), .megabytes))
        }
        figures.append(Figure(.b7, "initial sync, changes/s", Double(count) / result.seconds, .perSecond))
        return figures
    }
}

/// A server whose replica holds many members, written once through the server replica's own
/// write API (its local writes enter the feed exactly as merged pushes do), kept across runs.
final class SeededServer {
    let server: EmbeddedServer
    let records: Int
    private let path: String
    private let workspace: BenchWorkspace

    private init(server: EmbeddedServer, records: Int, path: String, workspace: BenchWorkspace) {
        self.server = server
        self.records = records
        self.path = path
        self.workspace = workspace
    }

    static func make(_ context: BenchContext, records: Int) async throws -> SeededServer {
        let path = context.workspace.databasePath("b7-server")
        let server = try await EmbeddedServer.start(databasePath: path)
        do {
            let batch = 50_000
            var written = 0
            while written < records {
                let size = min(batch, records - written)
                try server.store.replica.insertMembers(
                    MemberRow.generate(count: size, seed: 0x4237_0000 &+ UInt64(written)))
                written += size
            }
            return SeededServer(server: server, records: records, path: path, workspace: context.workspace)
        } catch {
            try? await server.stop()
            context.workspace.remove(path)
            throw error
        }
    }

    func stop() async throws {
        try await server.stop()
        workspace.remove(path)
    }
}
