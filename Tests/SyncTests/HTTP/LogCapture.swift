import Logging
import Synchronization

/// A swift-log handler that keeps every line, for tests that check what the server logs.
final class LogCapture: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let entries = Mutex<[Entry]>([])

    var all: [Entry] { entries.withLock { $0 } }

    var logger: Logger {
        var logger = Logger(label: "hearth-server-test") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }

    /// Waits (a bounded number of yields, so a test never hangs) until a line matches.
    func first(where predicate: (Entry) -> Bool) async -> Entry? {
        for _ in 0..<20_000 {
            if let entry = all.first(where: predicate) { return entry }
            await Task.yield()
            try? await Task.sleep(for: .milliseconds(1))
        }
        return nil
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var all = metadata
            for (key, value) in event.metadata ?? [:] { all[key] = value }
            capture.append(
                Entry(
                    level: event.level, message: event.message.description,
                    metadata: all.mapValues { "\($0)" }))
        }
    }
}
