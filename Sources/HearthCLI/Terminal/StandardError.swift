import Foundation

/// Writes to the process's standard error, where every `hearth` diagnostic goes.
///
/// Standard output carries only results (and, with `--json`, only JSON), so scripts can pipe it.
public enum StandardError {
    /// Writes `text` and a newline to standard error.
    public static func write(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Writes `error: <message>`, the one form every failure of `hearth` takes.
    public static func error(_ message: String) {
        write("error: " + message)
    }
}
