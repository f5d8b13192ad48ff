import Foundation
public import HearthCLI
import Replica
import SyncClient
import SyncCore
import SyncServer

/// `hearth demo --town`: the whole federation on this machine. A central server, the four
/// service centers, a sample of the village federations and two help-desk laptops enter five
/// years of work offline, sync, and every node then prints the same report.
public struct TownStory {
    let say: (String) -> Void
    let keepFiles: Bool
    let targets: TownTargets
    let htmlPath: String?
    let language: ReportLanguage

    public init(
        targets: TownTargets = .fiveYearReport, keepFiles: Bool = false, htmlPath: String?,
        language: ReportLanguage, say: @escaping (String) -> Void
    ) {
        self.targets = targets
        self.keepFiles = keepFiles
        self.htmlPath = htmlPath
        self.language = language
        self.say = say
    }

    struct Node {
        let name: String
        let replica: Replica
        let token: String
    }

    /// Runs the story; returns the report every node agreed on, or nil when they differ.
    @discardableResult
    public func run() async throws -> FederationReport? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "hearth-town-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if !keepFiles { try? FileManager.default.removeItem(at: folder) } }
        let started = Date()
        let plan = TownPlan.generate(targets)
        say("Hearth town demo: a federation's five years, entered offline on the nodes that would enter it.")
        say("Working folder: \(folder.path)\n")
        let server = try await EmbeddedServer.start(databasePath: folder.appendingPathComponent("central.db").path)
        do {
            let report = try await tell(plan, folder: folder, server: server)
            try await server.stop()
            say(String(format: "\nDone in %.0f s.", Date().timeIntervalSince(started)))
            return report
        } catch {
            try? await server.stop()
            throw error
        }
    }

    private func tell(_ plan: TownPlan, folder: URL, server: EmbeddedServer) async throws -> FederationReport? {
        say("1. The central office starts hearth-server on 127.0.0.1:\(server.port) and registers its nodes:")
        var nodes: [Node] = []
        for site in plan.sites {
            let (node, token) = try server.store.addNode(name: site.name, canForward: false)
            let replica = try Replica.create(
                at: folder.appendingPathComponent("\(node.id.short).db").path, name: site.name, nodeID: node.id)
            nodes.append(Node(name: site.name, replica: replica, token: token))
        }
        let roles: [(TownPlan.Site.Role, String)] = [
            (.center, "service centers"), (.federation, "village federations (of 28)"), (.laptop, "help-desk laptops"),
        ]
        for (role, label) in roles {
            say("   \(label): " + plan.sites.filter { $0.role == role }.map(\.name).joined(separator: "、"))
        }

        say("\n2. Offline, each node enters its members (and the center plans the bus-station help desk):")
        try enter(plan, nodes, \.setup)
        say("\n3. The network is back: every node syncs.")
        try await syncAll(nodes, server: server)

        say("\n4. Offline again, five years of work are entered where they happen:")
        try enter(plan, nodes, \.work)
        say("\n5. Everyone syncs; each pull brings the others' work.")
        try await syncAll(nodes, server: server)

        say("\n6. `hearth report` on every node:")
        var reports: [FederationReport] = []
        for node in nodes {
            reports.append(try node.replica.read { try FederationReport.load($0) })
        }
        let serverReport = try server.store.replica.read { try FederationReport.load($0) }
        let digests = Set(try nodes.map { try $0.replica.read { try $0.digest() } })
        let agreed = reports.allSatisfy { $0 == serverReport } && digests.count == 1
        say(
            agreed
                ? "   All \(nodes.count) nodes and the server compute the same report (digest \(digests.first!.hex.prefix(12))…)."
                : "   DIVERGENCE: the nodes' reports or digests differ.")
        say("")
        say(
            serverReport.text(language).split(separator: "\n", omittingEmptySubsequences: false).prefix(12)
                .map { "   " + $0 }.joined(separator: "\n"))
        if let htmlPath {
            try Data(serverReport.html(language).utf8).write(to: URL(fileURLWithPath: htmlPath), options: .atomic)
            say("\n   The report as a page with charts: \(htmlPath) (open it in a browser; it prints on A4).")
        }
        if keepFiles {
            say("   Replicas kept in \(folder.path); try `hearth report --db \(folder.path)/<node>.db`.")
        }
        for node in nodes { try node.replica.close() }
        return agreed ? serverReport : nil
    }

    private func enter(_ plan: TownPlan, _ nodes: [Node], _ phase: KeyPath<TownPlan.Site, [TownPlan.Entry]>) throws {
        for (site, node) in zip(plan.sites, nodes) {
            let entries = site[keyPath: phase]
            guard !entries.isEmpty else { continue }
            try node.replica.write { tx in
                for entry in entries { try tx.write(entry.type, id: entry.id, entry.values, mustExist: false) }
            }
            var counts: [String: Int] = [:]
            for entry in entries { counts[entry.type.name, default: 0] += 1 }
            let summary = HearthSchema.all.compactMap { type in counts[type.name].map { "\($0) \(type.name)" } }
            say("   \(node.name): " + summary.joined(separator: ", "))
        }
    }

    private func syncAll(_ nodes: [Node], server: EmbeddedServer) async throws {
        // Twice round: the first pushes everything, the second pulls what later nodes pushed.
        var pushed = 0
        var pulled = 0
        for round in 0..<2 {
            for node in nodes {
                let transport = HTTPSyncTransport(baseURL: server.baseURL, token: node.token)
                let report = try await SyncEngine(replica: node.replica, transport: transport).sync()
                pushed += report.pushed
                pulled += report.pulled
                if round == 1, report.digestMatches == false { say("   \(node.name): DIGEST DIFFERS from the server") }
            }
        }
        say("   \(nodes.count) nodes pushed \(pushed) changes and pulled \(pulled).")
    }
}
