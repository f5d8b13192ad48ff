import ArgumentParser
import Foundation
import Replica
import SyncCore
import SyncServer

/// `hearth node …`: the laptops a center serves (`hearth serve`), registered in its replica.
struct NodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Register, list and revoke the laptops this center serves.",
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a laptop and print its id and token (shown once, stored only as a hash).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The laptop's name, e.g. 汽车站服务台笔记本.") var name: String
        @Option(help: "Register a replica that was created offline, keeping its node id (see its `hearth status`).")
        var nodeId: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            var id: NodeID?
            if let nodeId {
                guard let parsed = NodeID(nodeId) else { throw ValidationError("--node-id must be a node id (a UUID)") }
                id = parsed
            }
            let store = try SQLiteServerStore.hub(try global.openReplica())
            defer { try? store.close() }
            let (node, token) = try store.addNode(name: name, canForward: false, id: id)
            print(
                NodeListing.issued(
                    node, token: token, json: json,
                    then: "On the laptop: hearth init --name NAME --server http://THIS-CENTER:PORT --token TOKEN "
                        + "(this center runs `hearth serve`)"))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the laptops registered here.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let replica = try global.openReplica()
            let nodes =
                try SQLiteServerStore.hasLaptops(replica)
                ? try SQLiteServerStore.hub(replica).nodes() : []
            print(NodeListing.list(nodes, json: json, empty: "no laptops yet; add one with `hearth node add NAME`"))
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a laptop's token, here and (at this center's next sync) at the central office.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The laptop's node id.") var id: String

        func run() throws {
            guard let node = NodeID(id) else {
                throw ValidationError("'\(id)' is not a node id (a UUID); see `hearth node list`")
            }
            let replica = try global.openReplica()
            guard try SQLiteServerStore.hasLaptops(replica) else {
                throw ReplicaError(.notFound, "no laptop with id \(node) is registered here; see `hearth node list`")
            }
            let store = try SQLiteServerStore.hub(replica)
            defer { try? store.close() }
            try store.revokeNode(node)
            print("revoked \(node); the central office revokes it too at this center's next `hearth sync`")
        }
    }
}
