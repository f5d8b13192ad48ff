import Foundation
import Testing

/// Field work as a person does it, with the real executables on 127.0.0.1: a central office
/// (`hearth-server serve`), centers and laptops (`hearth`), and a center serving its laptops
/// (`hearth serve`). Every replica is a file in one temp directory; everything stops by itself.
final class FieldSite {
    let directory: URL
    let central: ServerProcess
    let hearth: URL
    private var serving: [String: (child: ChildProcess, port: Int)] = [:]

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-field-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        central = try ServerProcess(directory: directory)
        hearth = try HearthBinary.locate()
        try central.start()
    }

    /// The usual town: 沙头服务中心, a hub serving its laptop 汽车站服务台, and 体育公园服务中心.
    static func centerServingALaptop() throws -> FieldSite {
        let site = try FieldSite()
        do {
            try site.addCenter("沙头服务中心", forward: true)
            try site.addCenter("体育公园服务中心", forward: false)
            try site.serve("沙头服务中心")
            _ = try site.addLaptop("汽车站服务台", at: "沙头服务中心")
            return site
        } catch {
            site.stop()
            throw error
        }
    }

    func path(_ replica: String) -> String { directory.appendingPathComponent("\(replica).db").path }

    /// Runs `hearth ARGS --db REPLICA.db` and returns how it ended.
    @discardableResult
    func run(_ replica: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> ChildProcess.Exit {
        try ChildProcess(
            binary: hearth, arguments: arguments + ["--db", path(replica)], directory: directory,
            label: "hearth \(arguments.first ?? "")"
        ).wait(timeout: timeout)
    }

    /// Runs a `hearth` command that must succeed; returns its stdout.
    @discardableResult
    func succeed(_ replica: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws
        -> String
    {
        let exit = try run(replica, arguments)
        #expect(
            exit.succeeded, "hearth \(arguments.joined(separator: " ")) failed: \(exit.summary)",
            sourceLocation: sourceLocation)
        return exit.stdout
    }

    /// A center registered at the central office (a hub with `forward`), its replica made with `hearth init`.
    func addCenter(_ name: String, forward: Bool) throws {
        let (_, token) = try central.addNode(name, forward: forward)
        try succeed(name, ["init", "--name", name, "--server", central.url, "--token", token])
    }

    /// `hearth node add` at `center`, then `hearth init` of the laptop against the center's server.
    func addLaptop(_ name: String, at center: String) throws -> String {
        let added =
            try JSONSerialization.jsonObject(
                with: Data(try succeed(center, ["node", "add", name, "--json"]).utf8)) as? [String: Any]
        let token = try #require(added?["token"] as? String)
        try succeed(name, ["init", "--name", name, "--server", try url(of: center), "--token", token])
        return token
    }

    /// Starts `hearth serve` for `center` on a free loopback port and waits until it answers.
    func serve(_ center: String) throws {
        let child = try ChildProcess(
            binary: hearth, arguments: ["serve", "--host", "127.0.0.1", "--port", "0", "--db", path(center)],
            directory: directory, label: "hearth serve")
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, child.isRunning {
            if let port = ServerProcess.listeningPort(in: child.stderrSoFar, program: "hearth serve"),
                LoopbackProbe.status(port: port, path: "/health") == 200
            {
                serving[center] = (child, port)
                return
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        child.kill9()
        throw ServerProcess.StartFailure(description: "hearth serve did not start: \(child.wait(timeout: 5).summary)")
    }

    func url(of center: String) throws -> String {
        let port = try #require(serving[center]?.port, "\(center) is not serving")
        return "http://127.0.0.1:\(port)"
    }

    /// The JSON a read command prints with `--json`.
    func json(_ replica: String, _ arguments: [String]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try succeed(replica, arguments + ["--json"]).utf8))
    }

    func stop() {
        for (_, serving) in serving {
            serving.child.terminate()
            let exit = serving.child.wait(timeout: 15)
            if exit.timedOut { Issue.record("hearth serve did not stop within 15 s of SIGTERM") }
        }
        central.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
