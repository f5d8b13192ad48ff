import Foundation

/// A real `hearth-server` and a few `hearth` nodes in one temp directory, for crash trials.
///
/// Every node is registered with `hearth-server node add` and created with `hearth init
/// --server … --token …`, exactly as a center would be. `shutDown()` stops the server and
/// removes the directory; call it in a `defer` so no server outlives its test.
final class CrashCluster {
    struct Node {
        var name: String
        var id: String
        var database: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let hearth: HearthProcess
    let server: ServerProcess
    private(set) var nodes: [Node] = []

    var directory: URL { hearth.directory }

    /// Registers `names`, starts the server and initialises one replica per name.
    ///
    /// If any step fails, the server is killed and the directory removed before the error is thrown.
    init(nodes names: [String]) throws {
        var hearth = try HearthProcess()
        hearth.timeout = 60
        self.hearth = hearth
        do {
            server = try ServerProcess(directory: hearth.directory)
        } catch {
            hearth.cleanUp()
            throw error
        }
        do {
            var tokens: [(String, String, String)] = []
            for name in names {
                let (id, token) = try server.addNode(name)
                tokens.append((name, id, token))
            }
            try server.start()
            for (index, (name, id, token)) in tokens.enumerated() {
                let database = hearth.directory.appendingPathComponent("node\(index).db").path
                let created = try hearth.run([
                    "init", "--name", name, "--server", server.url, "--token", token, "--db", database, "--json",
                ])
                guard created.status == 0 else { throw Failure(description: "hearth init failed: \(created.stderr)") }
                nodes.append(Node(name: name, id: id, database: database))
            }
        } catch {
            server.kill9()
            hearth.cleanUp()
            throw error
        }
    }

    /// Stops the server cleanly and removes every file of the cluster.
    func shutDown() {
        server.stop()
        hearth.cleanUp()
    }

    /// Runs `hearth` on `node`'s replica and waits for it.
    @discardableResult
    func run(_ node: Node, _ arguments: [String]) throws -> HearthProcess.Result {
        try hearth.run(arguments + ["--db", node.database])
    }

    /// Runs `hearth` on `node`'s replica; anything but exit 0 throws with its stderr.
    @discardableResult
    func succeed(_ node: Node, _ arguments: [String]) throws -> HearthProcess.Result {
        let result = try run(node, arguments)
        guard result.status == 0 else {
            throw Failure(
                description: "hearth \(arguments.prefix(2).joined(separator: " ")) on \(node.name) "
                    + "exited \(result.status): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return result
    }

    /// Starts `hearth` on `node`'s replica without waiting, so the test can kill it.
    func launch(_ node: Node, _ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(
            binary: hearth.binary, arguments: arguments + ["--db", node.database], directory: directory,
            label: "hearth \(arguments.prefix(2).joined(separator: " ")) on \(node.name)")
    }

    /// Writes a file into the cluster's directory and returns its path.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Syncs every node, round after round, until a round in which all digests match the server's
    /// and nothing changed on the server after the round's first sync.
    ///
    /// Such a round proves that every replica holds what the server holds: each matched the
    /// server's digest when it synced, and only the first sync of the round pushed anything.
    /// `first` syncs first in every round (the node that was killed, with the most to push).
    /// A sync that fails is tried again in the next round; after `maxRounds` rounds without a
    /// quiet one, throws with what the last round said.
    ///
    /// Returns what is wrong with how the first round resumed: each node's first pull request
    /// must start at the cursor its replica had stored (`status --json` `pullCursor`), as the
    /// server's log shows it (`since=N`); a pull that starts over, or skips ahead, is reported.
    func syncUntilQuiet(first: Node? = nil, maxRounds: Int = 6) throws -> [String] {
        let order = first.map { first in [first] + nodes.filter { $0.id != first.id } } ?? nodes
        var last: [String] = []
        var resume: [String] = []
        for round in 0..<maxRounds {
            last = []
            for (index, node) in order.enumerated() {
                let stored = round == 0 ? try pullCursor(of: node) : nil
                let mark = server.log.utf8.count
                let result = try run(node, ["sync", "--json"])
                if let stored, let since = Self.firstPullCursor(in: server.log, after: mark), since != stored {
                    resume.append("\(node.name) resumed its pull at since=\(since), its stored cursor was \(stored)")
                }
                guard result.status == 0,
                    let report = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
                else {
                    last.append("\(node.name): exit \(result.status): \(Self.tail(result.stderr))")
                    continue
                }
                let pushed = report["pushed"] as? Int ?? -1
                let matches = report["digestMatches"] as? Bool
                if (index > 0 && pushed != 0) || matches != true {
                    last.append("\(node.name): pushed \(pushed), digestMatches \(matches.map(String.init) ?? "null")")
                }
            }
            if last.isEmpty { return resume }
        }
        throw Failure(
            description: "no quiet sync round in \(maxRounds) rounds; last round: \(last.joined(separator: "; "))"
                + (resume.isEmpty ? "" : "; \(resume.joined(separator: "; "))"))
    }

    /// The pull cursor `node`'s replica has stored (`hearth status --json`).
    func pullCursor(of node: Node) throws -> Int? {
        let status = try succeed(node, ["status", "--json"]).jsonObject()
        return status["pullCursor"] as? Int
    }

    /// The `since=N` of the first pull request the server logged after `mark` bytes of its log.
    static func firstPullCursor(in log: String, after mark: Int) -> Int? {
        let text = String(decoding: log.utf8.dropFirst(mark), as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.contains("GET /v1/changes") }),
            let range = line.range(of: #"since=[0-9]+"#, options: .regularExpression)
        else { return nil }
        return Int(line[range].dropFirst("since=".count))
    }

    static func tail(_ text: String) -> String {
        text.split(separator: "\n").suffix(3).joined(separator: " | ")
    }
}
