import ArgumentParser
import Foundation
import HearthCLI
import HearthProtocol
import Replica
import SyncClient
import SyncServer
import Synchronization

/// `hearth sync`: push this node's changes, pull everyone else's, compare digests.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Exchange changes with the server until both sides are up to date.",
        discussion: "Safe to interrupt: running it again continues where it stopped.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print {\"pushed\", \"pulled\", \"conflicts\", …} as JSON.") var json = false
    @Flag(
        help: """
            Keep syncing until Ctrl-C: local writes go up within moments, and the server's news comes down \
            as soon as it has it. Offline, it retries with a growing wait.
            """)
    var watch = false

    /// A center serving laptops tells the central office about them at every sync. Whether it
    /// has any is looked at each time (one may be registered while `--watch` runs); the hub
    /// store, once there is one, is opened once, not at every sync.
    static func hubLaptops(of replica: Replica) -> @Sendable () throws -> [HubLaptopsRequest.Laptop] {
        let hub = Mutex<SQLiteServerStore?>(nil)
        return {
            if let store = hub.withLock({ $0 }) { return try store.laptopsForUpstream().map(\.wire) }
            guard try SQLiteServerStore.hasLaptops(replica) else { return [] }
            let store = try SQLiteServerStore.hub(replica)
            hub.withLock { $0 = store }
            return try store.laptopsForUpstream().map(\.wire)
        }
    }

    func run() async throws {
        let replica = try global.openReplica()
        guard let settings = try RemoteSettings.load(from: replica) else {
            throw SyncClientError(
                .notConfigured, "no server is set for this replica; run `hearth remote set URL --token TOKEN`")
        }
        let transport = try settings.transport()
        let engine = SyncEngine(replica: replica, transport: transport, hubLaptops: Self.hubLaptops(of: replica))
        if watch {
            await LiveSync(watcher: SyncWatcher(engine: engine, replica: replica, transport: transport), json: json)
                .run()
            return
        }
        let progress = ProgressLine(enabled: !json && isatty(STDERR_FILENO) == 1)
        let report = try await engine.sync { progress.show($0) }
        progress.clear()
        let reconciled = report.reconciliation
        if reconciled.serverRestored && report.switchedUpstream {
            StandardError.write(
                "note: this replica now syncs with another server than last time (its center, or the central "
                    + "office): everything was pulled from it, and \(reconciled.recordsToResend) record(s) holding this "
                    + "node's writes were offered to it (what it already had changed nothing)")
        } else if reconciled.serverRestored {
            StandardError.write(
                "note: the server is not the one this replica last synced with (it was restored from a backup): "
                    + "everything was pulled again, and \(reconciled.recordsToResend) record(s) holding this node's "
                    + "writes were sent again so that nothing the restore lost stays lost")
        }
        if let counter = reconciled.counterRaisedTo {
            StandardError.write(
                "note: the server holds writes of this node up to number \(counter) that this replica did not have "
                    + "(it was re-installed or restored from a backup): they were pulled back, and new writes here "
                    + "continue after that number")
        }
        if reconciled.resynchronising {
            StandardError.write(
                "note: this replica may have missed deletes the other nodes have already forgotten (it is an older "
                    + "copy, or its node was readmitted): everything was pulled again, and records deleted meanwhile "
                    + "were removed; this node's own unsynced edits were kept")
        }
        if report.zombiesDeleted > 0 {
            StandardError.write(
                "note: the server sent \(report.zombiesDeleted) record(s) that were deleted and forgotten everywhere "
                    + "(was the server restored from an old backup?); they were deleted again")
        }
        if json {
            print(
                JSONValue.object([
                    "pushed": .integer(Int64(report.pushed)), "refused": .integer(Int64(report.refused)),
                    "pulled": .integer(Int64(report.pulled)),
                    "conflicts": .integer(Int64(report.conflicts)),
                    "openConflicts": .integer(Int64(report.openConflicts)),
                    "digestMatches": report.digestMatches.map { .bool($0) } ?? .null,
                    "clockSkewMs": .integer(report.clockSkewMilliseconds),
                    "serverRestored": .bool(reconciled.serverRestored),
                    "counterRaisedTo": reconciled.counterRaisedTo.map { .integer(Int64(clamping: $0)) } ?? .null,
                    "resynchronised": .bool(reconciled.resynchronising),
                    "collected": .integer(Int64(report.collected)),
                    "zombiesDeleted": .integer(Int64(report.zombiesDeleted)),
                ]).rendered())
        } else {
            var line = "pushed \(report.pushed), pulled \(report.pulled), conflicts \(report.conflicts)"
            if report.collected > 0 { line += ", forgot \(report.collected) deleted record(s) every node has seen" }
            if report.openConflicts > 0 { line += " (\(report.openConflicts) open: `hearth conflicts list`)" }
            print(line)
        }
        for refusal in report.laptopRefusals { StandardError.write("laptops: \(refusal)") }
        if report.refused > 0 {
            let refusals = try replica.read { try $0.pushRefusals() }
            for refusal in refusals.prefix(20) {
                StandardError.write("refused: \(refusal.message)")
            }
            if refusals.count > 20 { StandardError.write("… and \(refusals.count - 20) more (`hearth status`)") }
        }
        if report.clockSkewIsLarge {
            StandardError.write(
                "warning: this computer's clock is \(report.clockSkewMilliseconds / 60_000) minutes off the server's; "
                    + "times shown for changes made here will be wrong (sync itself is not affected)")
        }
        if report.digestMatches == false {
            StandardError.error(
                "DIVERGENCE: after a complete sync this replica's digest (\(report.localDigest)) differs from the server's "
                    + "(\(report.serverDigest)); run `hearth check` and report it to the central office")
            throw ExitCode(ExitStatus.refused)
        }
        if report.refused > 0 {
            StandardError.error(
                "the server refused \(report.refused) change(s); they stay pending here and everything else was "
                    + "synced. `hearth status` lists them with the reason")
            throw ExitCode(ExitStatus.refused)
        }
        if !report.laptopRefusals.isEmpty {
            StandardError.error(
                "the server did not register every laptop of this center (above); everything else was synced")
            throw ExitCode(ExitStatus.refused)
        }
    }
}

/// A one-line progress bar on stderr for long syncs.
final class ProgressLine: Sendable {
    let enabled: Bool
    init(enabled: Bool) { self.enabled = enabled }

    func show(_ progress: SyncProgress) {
        guard enabled, progress.phase != .done else { return }
        var text = "\(progress.phase.rawValue)… \(progress.done)"
        if let total = progress.total, total > 0 {
            let width = 30
            let filled = min(width, progress.done * width / total)
            text =
                "\(progress.phase.rawValue) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] "
                + "\(progress.done)/\(total)"
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    func clear() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
