import Dispatch
import Foundation
import HearthCLI
import SyncClient

/// `hearth sync --watch`: runs a `SyncWatcher` until SIGINT or SIGTERM, with one status line.
///
/// On a terminal the line is rewritten in place; otherwise (a log, a service manager) each
/// event is one line, or one JSON object with `--json`. A signal cancels the watcher, which
/// leaves a sync it cut short as safe as any interrupted sync; the command then exits 0.
struct LiveSync {
    let watcher: SyncWatcher
    let json: Bool

    func run() async {
        let onTerminal = !json && isatty(STDERR_FILENO) == 1
        let task = Task { [watcher] in
            await watcher.run { event in Self.show(event, onTerminal: onTerminal, json: json) }
        }
        let signals = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
        await task.value
        for source in signals { source.cancel() }
        if onTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
        StandardError.write("stopped watching; run `hearth sync` or `hearth sync --watch` again at any time")
    }

    private static func show(_ event: SyncWatcher.Event, onTerminal: Bool, json: Bool) {
        let time = Self.clock()
        let line: String
        switch event {
        case .synced(let report):
            if json {
                print(
                    JSONValue.object([
                        "event": .string("synced"), "pushed": .integer(Int64(report.pushed)),
                        "pulled": .integer(Int64(report.pulled)), "refused": .integer(Int64(report.refused)),
                        "openConflicts": .integer(Int64(report.openConflicts)),
                        "digestMatches": report.digestMatches.map { .bool($0) } ?? .null,
                    ]).rendered())
                return
            }
            var text = "\(time) in sync: pushed \(report.pushed), pulled \(report.pulled)"
            if report.refused > 0 { text += ", \(report.refused) refused (`hearth status`)" }
            if report.openConflicts > 0 { text += ", \(report.openConflicts) open conflict(s)" }
            if report.digestMatches == false { text += "; DIVERGENCE: run `hearth check`" }
            line = text + "; watching (Ctrl-C stops)"
        case .failed(let message, let retryIn):
            if json {
                print(
                    JSONValue.object([
                        "event": .string("failed"), "message": .string(message),
                        "retryInSeconds": .integer(retryIn.components.seconds),
                    ]).rendered())
                return
            }
            line = "\(time) not in sync: \(message); trying again in \(retryIn.components.seconds) s"
        }
        if onTerminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        } else {
            StandardError.write(line)
        }
    }

    private static func clock() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: Date())
    }
}
