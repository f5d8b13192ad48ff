import ArgumentParser
import Foundation
import Replica
import SyncClient
import SyncCore
import Synchronization

/// `hearth-bench b7-client`: B7's client side in a process of its own. Creates a fresh replica,
/// syncs it from the server, and prints its own memory figures as JSON on standard output.
struct InitialSyncClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "b7-client", abstract: "B7's client process (run by hearth-bench itself).", shouldDisplay: false)
    /// The node token comes in this environment variable, not on the command line.
    static let tokenVariable = "HEARTH_BENCH_TOKEN"

    @Option(help: "The server's base URL.") var url: String
    @Option(help: "The node id the server registered.") var nodeId: String
    @Option(help: "Where to create the fresh replica.") var db: String

    func run() async throws {
        guard let base = URL(string: url), let node = NodeID(nodeId),
            let token = ProcessInfo.processInfo.environment[Self.tokenVariable]
        else { throw ValidationError("b7-client needs --url, --node-id and \(Self.tokenVariable)") }
        let replica = try Replica.create(at: db, name: "b7-fresh-node", nodeID: node)
        let recorder = MemoryRecorder()
        let engine = SyncEngine(replica: replica, transport: HTTPSyncTransport(baseURL: base, token: token))
        let (report, seconds) = try await Stopwatch.time {
            try await engine.sync { progress in
                if progress.phase == .pulling { recorder.sample(pulled: progress.done) }
            }
        }
        let stored = try replica.memberCount()
        try replica.close()
        let result = InitialSyncClientResult(
            pulled: report.pulled, stored: stored, seconds: seconds, digestMatches: report.digestMatches == true,
            peakBytes: ProcessMemory.statusBytes("VmHWM") ?? 0, samples: recorder.samples)
        print(String(decoding: try JSONEncoder().encode(result), as: UTF8.self))
    }
}

/// What the B7 client process reports to the benchmark.
struct InitialSyncClientResult: Codable {
    struct Sample: Codable {
        var pulled: Int
        var residentBytes: Int
    }

    var pulled: Int
    var stored: Int
    var seconds: Double
    var digestMatches: Bool
    /// `VmHWM` at the end: the peak resident memory of the whole process.
    var peakBytes: Int
    /// `VmRSS` after each pulled page.
    var samples: [Sample]

    /// The resident memory at the first sample with at least `pulled` records applied.
    func residentBytes(afterPulling pulled: Int) -> Int? {
        samples.first { $0.pulled >= pulled }?.residentBytes
    }
}

/// Resident memory sampled after each pulled page.
final class MemoryRecorder: Sendable {
    private let list = Mutex<[InitialSyncClientResult.Sample]>([])

    func sample(pulled: Int) {
        let resident = ProcessMemory.statusBytes("VmRSS") ?? 0
        list.withLock { $0.append(.init(pulled: pulled, residentBytes: resident)) }
    }

    var samples: [InitialSyncClientResult.Sample] { list.withLock { $0 } }
}
