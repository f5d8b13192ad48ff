import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs the built `hearth` binary in a private temp directory, the way a person or script would.
///
/// Each instance owns one temp directory (removed by `cleanUp()`), sets `HEARTH_DB` to a replica
/// inside it, and kills any run that takes longer than `timeout`, so tests always stop by themselves.
struct HearthProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// stdout parsed as JSON (an object or an array).
        func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        }

        func jsonObject() throws -> [String: Any] {
            try #require(try json() as? [String: Any], "expected a JSON object, got: \(stdout)")
        }

        func jsonArray() throws -> [[String: Any]] {
            try #require(try json() as? [[String: Any]], "expected a JSON array, got: \(stdout)")
        }

        var line: String { stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    let binary: URL
    let directory: URL
    var database: URL { directory.appendingPathComponent("hearth.db") }
    var timeout: TimeInterval = 30

    init() throws {
        binary = try HearthBinary.locate()
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("hearth-cli-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `hearth` with `arguments`; `environment` entries override (nil removes) the inherited ones.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String?] = [:]) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        env["HEARTH_DB"] = database.path
        for (key, value) in environment { env[key] = value }
        let outURL = directory.appendingPathComponent("stdout-\(UUID().uuidString)")
        let errURL = directory.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = env
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            // SIGKILL, not SIGTERM: a run that handles SIGTERM could keep the test waiting.
            kill(process.processIdentifier, SIGKILL)
            ChildProcess.awaitEnd(of: process, finished)
            Issue.record("hearth \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s")
        }
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Runs a command that must succeed, failing the test with its stderr otherwise.
    @discardableResult
    func succeed(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Result {
        let result = try run(arguments)
        #expect(
            result.status == 0, "hearth \(arguments.joined(separator: " ")) failed: \(result.stderr)",
            sourceLocation: sourceLocation)
        return result
    }

    /// `status --json` as text: equal before and after means nothing in the replica changed
    /// (record counts, unsynced change count and the digest of every record are all in it).
    func statusJSON() throws -> String {
        try succeed(["status", "--json"]).stdout
    }
}
