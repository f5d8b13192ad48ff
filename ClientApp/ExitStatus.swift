import ArgumentParser
import HearthCLI

/// `hearth`'s exit codes, and the mapping of ArgumentParser's outcomes onto them.
enum ExitStatus {
    static let success: Int32 = 0
    /// An operation was refused or failed; nothing was changed.
    static let refused: Int32 = 1
    /// The command line itself was wrong (ArgumentParser would say 64, EX_USAGE).
    static let usage: Int32 = 2

    /// Prints what ArgumentParser has to say about `error` (help and version to stdout, the rest
    /// to stderr as `error: …`) and returns the exit code to use.
    static func report(_ error: any Error, for command: any ParsableCommand.Type) -> Int32 {
        let code = command.exitCode(for: error)
        let message = command.fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { print(message) }
            return success
        }
        if !message.isEmpty {
            StandardError.write(message.hasPrefix("Error: ") ? "error: " + message.dropFirst(7) : "error: " + message)
        }
        return code == .validationFailure ? usage : code.rawValue
    }
}
