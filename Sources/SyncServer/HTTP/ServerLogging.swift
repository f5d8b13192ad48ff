public import Logging

/// The log both servers write (`hearth-server serve`, and a center's `hearth serve`): one line
/// per request on stderr, at info level, with ids and counts only (`RequestLogMiddleware`).
public enum ServerLogging {
    /// Sends every logger of the process to stderr at info level; call once, at start.
    public static func bootstrap() {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
    }
}
