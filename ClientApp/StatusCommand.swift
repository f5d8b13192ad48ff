import ArgumentParser
import HearthCLI
import Replica

/// `hearth status`: the node, its record counts, and what is waiting to sync.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show this node's name and id, record counts, unsynced changes and open conflicts.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print the status as JSON.") var json = false

    func run() throws {
        let replica = try global.openReplica()
        var report = try replica.read { reader in try StatusReport.load(reader) }
        report.extraLines += try SyncStatus.lines(for: replica)
        print(json ? report.json.rendered() : report.text)
    }
}
