import ArgumentParser
import HearthKit

/// `hearth demo`: the scripted story of three sites syncing through an embedded server.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a short story: three sites work offline, sync, conflict, resolve, and agree.")
    @Flag(help: "Keep the demo's databases instead of deleting them.") var keep = false

    func run() async throws {
        let agreed = try await DemoStory(keepFiles: keep) { print($0) }.run()
        if !agreed { throw ExitCode(ExitStatus.refused) }
    }
}
