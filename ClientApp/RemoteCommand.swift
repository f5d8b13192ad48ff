import ArgumentParser
import Foundation
import HearthCLI
import Replica
import SyncClient
import SyncCore

/// `hearth remote set URL --token TOKEN` / `hearth remote show`.
struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote", abstract: "Set or show the server this replica syncs with.",
        subcommands: [Set.self, Show.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Point an existing replica at a server (the token must have been issued for this node).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The server URL.") var url: String
        @Option(help: "This node's token, from `hearth-server node add --node-id ID`.") var token: String
        @Flag(help: "Allow sending the token over plain http to a public host.") var insecure = false

        func run() async throws {
            let replica = try global.openReplica()
            let settings = RemoteSettings(serverURL: url, token: token, allowInsecure: insecure)
            let session = try await settings.session()
            guard session.nodeID == replica.nodeID.rawValue else {
                throw SyncClientError(
                    .wrongNode,
                    "the token belongs to node \(session.nodeID) (\(session.name)), but this replica is node "
                        + "\(replica.nodeID); register this replica with `hearth-server node add NAME --node-id \(replica.nodeID)`"
                )
            }
            try settings.save(to: replica)
            print("this replica now syncs with \(session.url.absoluteString) as \(session.name)")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the server (never the token).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let replica = try global.openReplica()
            let settings = try RemoteSettings.load(from: replica)
            if json {
                print(JSONValue.object(["server": .string(orNull: settings?.serverURL)]).rendered())
            } else {
                print(settings?.serverURL ?? "no server set; use `hearth remote set URL --token TOKEN`")
            }
        }
    }
}
