import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Replica
import ServerPostgres
import SyncCore
import SyncServer

/// `hearth-server`: the central office's sync server and its node registry.
@main
struct HearthServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hearth-server",
        abstract: "The Hearth central sync server.",
        version: "0.1.0",
        subcommands: [Serve.self, Node.self, Backup.self, Migrate.self])
}

/// Where the server keeps its database: a SQLite file (the embedded default) or PostgreSQL.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite server database (else $HEARTH_SERVER_DB, else ./hearth-server.db).")
    var db: String?
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A PostgreSQL database instead of SQLite: postgres://USER[:PASSWORD]@HOST:PORT/DB[?sslmode=disable] "
                + "(else $HEARTH_SERVER_DATABASE_URL).", valueName: "url"))
    var database: String?

    var path: String {
        db ?? ProcessInfo.processInfo.environment["HEARTH_SERVER_DB"] ?? "hearth-server.db"
    }

    /// The PostgreSQL URL, when the store is PostgreSQL; `--db` wins over the environment.
    var postgresURL: String? {
        if let database { return database }
        if db != nil { return nil }
        return ProcessInfo.processInfo.environment["HEARTH_SERVER_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// What the store is, for the log: the file, or the URL without its password.
    var place: String {
        guard let postgresURL else { return path }
        return (try? PostgresLocation(url: postgresURL).description) ?? "PostgreSQL"
    }

    func validate() throws {
        if database != nil, db != nil {
            throw ValidationError("give --db (a SQLite file) or --database (a PostgreSQL URL), not both")
        }
    }

    /// The SQLite store: the one `backup` copies.
    func openSQLite() throws -> SQLiteServerStore {
        do {
            return try SQLiteServerStore(path: path)
        } catch let error as ReplicaError {
            throw CleanExit.message(error.message, code: 1)
        }
    }

    /// `logger` gets what the PostgreSQL store notices (a restored database's new epoch).
    func openStore(logger: Logger? = nil) async throws -> any ServerStore {
        guard let postgresURL else { return QueuedSQLiteStore(try openSQLite()) }
        do {
            let location = try PostgresLocation(url: postgresURL)
            if let logger { return try await PostgresServerStore.open(location, logger: logger) }
            return try await PostgresServerStore.open(location)
        } catch let error as PostgresStoreError {
            throw CleanExit.message(error.message, code: 1)
        }
    }
}

/// Prints a message on stderr and exits with a code, without ArgumentParser's usage text.
enum CleanExit {
    static func message(_ text: String, code: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(text)\n".utf8))
        return ExitCode(code)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the sync server until SIGTERM or SIGINT.")

    @OptionGroup var store: StoreOptions
    @Option(help: "The address to listen on. Put a TLS reverse proxy in front for anything beyond a LAN.")
    var host = "127.0.0.1"
    @Option(help: "The port to listen on.")
    var port = 8080
    @Option(help: "The largest request body accepted, in bytes.")
    var maxBodyBytes = 16 << 20
    @Option(help: "Seconds a connection may stay silent (between requests, or mid-request) before it is closed.")
    var idleTimeout = 60
    @Option(help: "Seconds a request body may take to arrive in full; longer gets 408.")
    var bodyDeadline = 600

    func validate() throws {
        guard idleTimeout > 0, bodyDeadline > 0 else {
            throw ValidationError("--idle-timeout and --body-deadline must be positive numbers of seconds")
        }
    }

    func run() async throws {
        ServerLogging.bootstrap()
        OpenFileLimit.raiseToHard()
        let logger = Logger(label: "hearth-server")
        let store = try await store.openStore(logger: logger)
        let service = SyncService(store: store)
        let configuration = ServerConfiguration(
            host: host, port: port, maxBodyBytes: maxBodyBytes, idleTimeout: .seconds(idleTimeout),
            bodyDeadline: .seconds(bodyDeadline))
        let app = ServerApplication.make(service: service, configuration: configuration, logger: logger) { channel in
            logger.info(
                "hearth-server listening on \(channel.localAddress?.description ?? "?"), database \(self.store.place)")
        }
        // Hummingbird runs on swift-service-lifecycle: SIGTERM/SIGINT stop accepting, finish the
        // requests in flight, then return here, where the database is closed cleanly.
        try await app.runService()
        await service.finishStoreWork()
        try await store.close()
        logger.info("hearth-server stopped; database closed")
    }
}

/// `hearth-server migrate`: creates or upgrades the database's tables without serving, so an
/// operator can upgrade before starting several servers (each `serve` would do it at start).
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or upgrade the server database's tables, then exit (serve does it too, at start).")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let opened = try await store.openStore()
        try await opened.close()
        print("the server database at \(store.place) is ready for this hearth-server")
    }
}

struct Node: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Register, list, revoke and readmit nodes.",
        subcommands: [Add.self, List.self, Revoke.self, Readmit.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a node and print its id and token (shown once).")
        @Argument(help: "The node's name, e.g. 沙头服务中心.") var name: String
        @Flag(help: "Make this node a hub: it may forward the writes of its own laptops (see --hub).")
        var forward = false
        @Option(help: "Register a laptop of this hub (a node added with --forward): the hub may forward its writes.")
        var hub: String?
        @Option(help: "Register a replica that was created offline, keeping its node id (see `hearth status`).")
        var nodeId: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            var id: NodeID?
            if let nodeId {
                guard let parsed = NodeID(nodeId) else { throw ValidationError("--node-id must be a node id (a UUID)") }
                id = parsed
            }
            var hubID: NodeID?
            if let hub {
                guard let parsed = NodeID(hub) else { throw ValidationError("--hub must be a node id (a UUID)") }
                hubID = parsed
            }
            let store = try await store.openStore()
            let (node, token) = try await Self.guarded(closing: store) {
                try await store.addNode(name: name, canForward: forward, id: id, hub: hubID)
            }
            Self.printIssued(
                node, token, json: json,
                then: "Give it to the node: hearth init --name NAME --server URL --token TOKEN")
        }

        /// A newly issued token, shown this once, with its node and what to do with it.
        static func printIssued(_ node: RegisteredNode, _ token: String, json: Bool, then hint: String) {
            print(NodeListing.issued(node, token: token, json: json, then: hint))
        }

        /// Runs `body` on `store`, closes the store, and turns a refusal into its message and exit code 1.
        static func guarded<T>(closing store: any ServerStore, _ body: () async throws -> T) async throws -> T {
            do {
                let value = try await body()
                try await store.close()
                return value
            } catch {
                try? await store.close()
                if let error = error as? ReplicaError { throw CleanExit.message(error.message, code: 1) }
                if let error = error as? PostgresStoreError { throw CleanExit.message(error.message, code: 1) }
                throw error
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered nodes.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let store = try await store.openStore()
            let nodes = try await Add.guarded(closing: store) { try await store.nodes() }
            print(
                NodeListing.list(nodes, json: json, empty: "no nodes yet; add one with `hearth-server node add NAME`"))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a node's token; its requests get 401 from now on.")
        @Argument(help: "The node id.") var id: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let node = try Self.nodeID(id)
            let store = try await store.openStore()
            try await Add.guarded(closing: store) { try await store.revokeNode(node) }
            print("revoked \(node); deletes no longer wait for it to sync")
        }

        /// A node id given on the command line.
        static func nodeID(_ text: String) throws -> NodeID {
            guard let node = NodeID(text) else {
                throw ValidationError("'\(text)' is not a node id (a UUID); see `hearth-server node list`")
            }
            return node
        }
    }

    struct Readmit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let a revoked node sync again (a lost laptop that was found), with a new token.",
            discussion: """
                Deleted records may have been forgotten while the node was revoked. At its next sync the node \
                pulls everything again, drops what was deleted meanwhile and keeps its own unsynced edits.
                """)
        @Argument(help: "The node id.") var id: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let node = try Revoke.nodeID(id)
            let store = try await store.openStore()
            let (readmitted, token) = try await Add.guarded(closing: store) { try await store.readmitNode(node) }
            Add.printIssued(
                readmitted, token, json: json,
                then: "On the node: hearth remote set URL --token TOKEN, then hearth sync")
        }
    }
}
