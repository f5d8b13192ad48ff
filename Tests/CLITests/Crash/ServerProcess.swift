import Foundation
import Testing

/// The real `hearth-server serve` on 127.0.0.1, which a crash test can kill and start again.
///
/// The first start lets the server pick a free port (`--port 0`, read back from its "listening
/// on" log line); every restart reuses that port, so the nodes' stored server URL stays right.
/// A start returns once `GET /health` answers 200. Not `Sendable`: one test drives it.
final class ServerProcess {
    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    let binary: URL
    let directory: URL
    let database: URL
    /// A PostgreSQL database URL to serve instead of the SQLite file `database`.
    let postgresURL: String?
    private(set) var port = 0
    private var child: ChildProcess?
    /// Everything earlier incarnations wrote on stderr (one line per request), for reports.
    private(set) var earlierLogs = ""

    init(directory: URL, postgresURL: String? = nil) throws {
        binary = try HearthBinary.locateServer()
        self.directory = directory
        database = directory.appendingPathComponent("central.db")
        self.postgresURL = postgresURL
    }

    /// `--db FILE`, or `--database URL` on PostgreSQL.
    private var storeArguments: [String] {
        if let postgresURL { return ["--database", postgresURL] }
        return ["--db", database.path]
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var isRunning: Bool { child?.isRunning ?? false }

    /// Every incarnation's log so far, the running one last.
    var log: String { earlierLogs + (child?.stderrSoFar ?? "") }

    /// Registers a node with `hearth-server node add NAME --json` (`--forward`: as a hub);
    /// returns its id and token.
    func addNode(_ name: String, forward: Bool = false) throws -> (nodeID: String, token: String) {
        let run = try ChildProcess(
            binary: binary,
            arguments: ["node", "add", name, "--json"] + (forward ? ["--forward"] : []) + storeArguments,
            directory: directory
        ).wait(timeout: 30)
        guard run.succeeded,
            let object = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any],
            let id = object["nodeId"] as? String, let token = object["token"] as? String
        else { throw StartFailure(description: "hearth-server node add failed: \(run.summary)") }
        return (id, token)
    }

    /// Starts `serve` and waits until `/health` answers; retries a port still held by the last incarnation.
    func start(timeout: TimeInterval = 30) throws {
        precondition(!isRunning, "the server is already running")
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let child = try ChildProcess(
                binary: binary,
                arguments: ["serve", "--host", "127.0.0.1", "--port", String(port)] + storeArguments,
                directory: directory, label: "hearth-server serve")
            self.child = child
            if try waitUntilHealthy(child, deadline: deadline) { return }
            let exit = child.wait(timeout: 5)
            earlierLogs += exit.stderr
            if Date() > deadline {
                throw StartFailure(description: "hearth-server did not start on port \(port): \(exit.summary)")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// True once healthy; false if the process ended first (a port not yet free, say).
    private func waitUntilHealthy(_ child: ChildProcess, deadline: Date) throws -> Bool {
        while Date() < deadline {
            guard child.isRunning else { return false }
            if port == 0, let chosen = Self.listeningPort(in: child.stderrSoFar) { port = chosen }
            if port != 0, LoopbackProbe.status(port: port, path: "/health") == 200 { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        child.kill9()
        let exit = child.wait(timeout: 5)
        throw StartFailure(description: "hearth-server did not answer /health in time: \(exit.summary)")
    }

    /// The port in "hearth-server listening on [IPv4]127.0.0.1/127.0.0.1:PORT, database …" (or
    /// "hearth serve listening on …:PORT, N laptop(s) registered").
    static func listeningPort(in log: String, program: String = "hearth-server") -> Int? {
        for line in log.split(separator: "\n") where line.contains("\(program) listening on") {
            if let range = line.range(of: #":[0-9]+, "#, options: .regularExpression) {
                return Int(line[range].dropFirst().prefix { $0.isNumber })
            }
        }
        return nil
    }

    /// SIGKILL: no request is finished, no database is closed. Returns once the process is gone.
    func kill9() {
        guard let child else { return }
        child.kill9()
        earlierLogs += child.wait(timeout: 10).stderr
        self.child = nil
    }

    /// SIGTERM and wait for a clean stop (SIGKILL after `timeout`, which the test reports).
    func stop(timeout: TimeInterval = 15) {
        guard let child else { return }
        child.terminate()
        let exit = child.wait(timeout: timeout)
        earlierLogs += exit.stderr
        self.child = nil
        if exit.timedOut { Issue.record("hearth-server did not stop within \(Int(timeout)) s of SIGTERM") }
    }
}
