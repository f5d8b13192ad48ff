import Dispatch
import Foundation

/// Runs another executable to completion off Swift's cooperative threads.
enum ChildProcess {
    struct Outcome: Sendable {
        var status: Int32
        /// Everything it wrote on standard output (standard error goes to ours).
        var output: Data
    }

    static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) async throws
        -> Outcome
    {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = executable
                process.arguments = arguments
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
                let pipe = Pipe()
                process.standardOutput = pipe
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let output = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: Outcome(status: process.terminationStatus, output: output))
            }
        }
    }
}
