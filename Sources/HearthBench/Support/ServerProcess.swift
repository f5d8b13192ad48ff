import Foundation

/// `hearth-server serve` in a child process, so that its peak memory (`VmHWM`) is its own.
final class ServerProcess {
    let port: Int
    private let process: Process

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
    var pid: Int32 { process.processIdentifier }

    /// The `hearth-server` executable: `explicit`, else the one built next to this executable.
    static func locateBinary(_ explicit: String?) -> URL? {
        if let explicit { return URL(fileURLWithPath: explicit) }
        guard let me = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let sibling = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("hearth-server")
        return FileManager.default.isExecutableFile(atPath: sibling.path) ? sibling : nil
    }

    /// Starts the server on a free port of 127.0.0.1 and waits until it accepts connections.
    ///
    /// `store` names its database: `["--db", PATH]` for SQLite, `["--database", URL]` for PostgreSQL.
    static func start(binary: URL, store: [String], logPath: String) async throws -> ServerProcess {
        let port = try LoopbackSocket.freePort()
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve"] + store + ["--host", "127.0.0.1", "--port", String(port)]
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardError = log
        process.standardOutput = log
        try process.run()
        do {
            try await LoopbackSocket.waitUntilListening(port: port, timeout: .seconds(30))
        } catch {
            process.terminate()
            throw BenchFailure("hearth-server did not start listening; see \(logPath)")
        }
        return ServerProcess(process: process, port: port)
    }

    /// The server's peak resident memory so far, in bytes.
    var peakResidentBytes: Int? { ProcessMemory.statusBytes("VmHWM", pid: pid) }

    /// The CPU time the server has used so far, in seconds.
    var cpuSeconds: Double? { ProcessCPU.seconds(pid: pid) }

    /// The server's resident memory now, in bytes.
    var residentBytes: Int? { ProcessMemory.statusBytes("VmRSS", pid: pid) }

    /// Sends SIGTERM (a graceful shutdown that closes the database) and waits for the exit.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
