import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Replica
import SyncServer

/// `hearth serve`: a center serves its own replica to its laptops, over the same protocol as
/// the central office, until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve this replica to the laptops registered here (`hearth node add`) until Ctrl-C.",
        discussion: """
            Laptops run `hearth init --server http://THIS-HOST:PORT --token TOKEN` and `hearth sync` as with \
            the central office. Their writes travel on with this node's next `hearth sync` (the central office \
            must know this node as a hub: `hearth-server node add NAME --forward`). Listens on 127.0.0.1 unless \
            --host says otherwise (for example the center's local address, or 0.0.0.0).
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The address to listen on: the center's local network address, or 0.0.0.0 for every one.")
    var host = "127.0.0.1"
    @Option(help: "The port to listen on.")
    var port = 8090

    func run() async throws {
        ServerLogging.bootstrap()
        OpenFileLimit.raiseToHard()
        let logger = Logger(label: "hearth-serve")
        let replica = try global.openReplica()
        let store = try SQLiteServerStore.hub(replica)
        var service = SyncService(store: store)
        // The center's own `hearth sync --watch` writes what it pulls from another process: its
        // laptops' long polls look again often, so news from the office reaches them at once.
        service.feedRecheckInterval = .milliseconds(100)
        let configuration = ServerConfiguration(host: host, port: port)
        let laptops = try store.nodes().filter { !$0.isRevoked }.count
        let app = ServerApplication.make(service: service, configuration: configuration, logger: logger) { channel in
            logger.info(
                "hearth serve listening on \(channel.localAddress?.description ?? "?"), \(laptops) laptop(s) registered"
            )
        }
        try await app.runService()
        await service.finishStoreWork()
        try await service.store.close()
        logger.info("hearth serve stopped; replica closed")
    }
}
