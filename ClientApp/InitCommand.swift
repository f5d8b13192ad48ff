import ArgumentParser
import HearthCLI
import HearthProtocol
import Replica
import SyncClient
import SyncCore

/// `hearth init --name NAME`: creates the replica file and this node's identity.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new replica (refused if one already exists at the path).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "This node's name, such as the service center's (沙头服务中心).") var name: String
    @OptionGroup var remote: RemoteOptions
    @Flag(help: "Print {\"nodeId\", \"name\"} as JSON.") var json = false

    func run() async throws {
        // With a server, the node's identity is the one the server issued with the token: it is
        // taken from the token exchange (GET /v1/session) before anything is created.
        var nodeID = NodeID.random()
        var settings: RemoteSettings?
        var issuedSession: SessionResponse?
        if let server = remote.server, let token = remote.token {
            let candidate = RemoteSettings(serverURL: server, token: token, allowInsecure: remote.insecure)
            let session = try await candidate.session()
            guard let issued = NodeID(session.nodeID) else {
                throw SyncClientError(.badResponse, "the server returned a malformed node id")
            }
            nodeID = issued
            settings = candidate
            issuedSession = session.response
        }
        let replica = try Replica.create(at: global.path, name: name, nodeID: nodeID)
        try settings?.save(to: replica)
        var resumedAfter: UInt64?
        if let issuedSession {
            // The node may have lived before (a re-installed laptop): continue its write numbers
            // after the server's, before anything is written here, and pull its writes back.
            let reconciled = try replica.reconcile(
                serverEpoch: issuedSession.serverEpoch,
                server: WriteLineage(
                    writer: nodeID, counter: issuedSession.lineageCounter, tag: issuedSession.lineageTag),
                highestCounter: issuedSession.highestCounter)
            if let counter = reconciled.counterRaisedTo { resumedAfter = counter }
        }
        let name = try replica.read { reader in try reader.nodeName() }
        if json {
            print(JSONValue.object(["nodeId": .string(replica.nodeID.rawValue), "name": .string(name)]).rendered())
        } else {
            print("created replica \(global.path) for node \(name) (\(replica.nodeID))")
            if let resumedAfter {
                print(
                    "this node has synced before (its writes up to number \(resumedAfter) are on the server); "
                        + "`hearth sync` brings them back to this replica")
            }
        }
    }
}
