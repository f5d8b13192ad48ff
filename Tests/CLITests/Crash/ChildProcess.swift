import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run of a built executable that a crash test may kill with SIGKILL at any moment.
///
/// Output goes to files (not pipes, so a child killed mid-write never leaves a reader blocked).
/// `wait(timeout:)` kills a run that outlives its timeout, so a test always stops by itself.
/// Not `Sendable`: one test drives it from start to end.
final class ChildProcess {
    /// How a run ended.
    struct Exit {
        /// The exit status, or the signal number when `bySignal`.
        var status: Int32
        var bySignal: Bool
        var timedOut: Bool
        var stdout: String
        var stderr: String

        var succeeded: Bool { !bySignal && !timedOut && status == 0 }
        var line: String { stdout.trimmingCharacters(in: .whitespacesAndNewlines) }

        /// A short account for failure messages: status and the end of stderr.
        var summary: String {
            let how = timedOut ? "timed out" : bySignal ? "killed by signal \(status)" : "exit \(status)"
            let tail = stderr.split(separator: "\n").suffix(4).joined(separator: " | ")
            return tail.isEmpty ? how : "\(how): \(tail)"
        }
    }

    /// What the run is, for messages ("hearth sync on 沙头服务中心").
    let label: String
    private let process = Process()
    private let outURL: URL
    private let errURL: URL
    private let finished = DispatchSemaphore(value: 0)
    private var exit: Exit?

    /// Starts `binary` with `arguments` in `directory`; output files are kept there until the run ends.
    init(binary: URL, arguments: [String], directory: URL, label: String? = nil) throws {
        self.label = label ?? "\(binary.lastPathComponent) \(arguments.first ?? "")"
        let stamp = UUID().uuidString
        outURL = directory.appendingPathComponent("child-\(stamp).out")
        errURL = directory.appendingPathComponent("child-\(stamp).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }
        var environment = ProcessInfo.processInfo.environment
        environment["HEARTH_DB"] = nil
        environment["HEARTH_SERVER_DB"] = nil
        process.executableURL = binary
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        let finished = finished
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
    }

    var isRunning: Bool { exit == nil && process.isRunning }

    /// What the run has written to stderr so far.
    var stderrSoFar: String {
        String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
    }

    /// Sends SIGKILL unless the run already ended: no handler runs, nothing is flushed or closed.
    func kill9() {
        guard isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
    }

    /// Sends SIGINT (Ctrl-C) unless the run already ended.
    func interrupt() {
        guard isRunning else { return }
        kill(process.processIdentifier, SIGINT)
    }

    /// Sends SIGTERM (a clean stop) unless the run already ended.
    func terminate() {
        guard isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
    }

    /// Waits `delay` seconds, then sends SIGKILL if the run has not ended by then.
    func kill9(after delay: TimeInterval) {
        if finished.wait(timeout: .now() + delay) == .success {
            finished.signal()  // it ended during the delay: give back the signal this wait took
        } else {
            kill9()
        }
    }

    /// Waits for Foundation to report the end of a process just sent SIGKILL. The kernel ends it
    /// at once; should the report never come, the test run stops here with a message rather than
    /// hang until CI's limit (and `terminationStatus` may only be read after the report).
    static func awaitEnd(of process: Process, _ finished: DispatchSemaphore) {
        if finished.wait(timeout: .now() + 60) == .timedOut {
            fatalError(
                "process \(process.processIdentifier) was sent SIGKILL 60 s ago and Foundation never reported its end")
        }
    }

    /// Waits for the end of the run (SIGKILL after `timeout` seconds) and collects its output.
    @discardableResult
    func wait(timeout: TimeInterval) -> Exit {
        if let exit { return exit }
        var timedOut = false
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            Self.awaitEnd(of: process, finished)
        }
        let ended = Exit(
            status: process.terminationStatus, bySignal: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut,
            stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
        exit = ended
        return ended
    }
}
