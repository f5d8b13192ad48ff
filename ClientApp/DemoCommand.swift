import ArgumentParser
import Foundation
import HearthCLI
import HearthKit

/// `hearth demo`: the scripted story of three sites syncing through an embedded server;
/// `hearth demo --town`: the whole federation's five years, synced, and its report.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a short story: three sites work offline, sync, conflict, resolve, and agree.",
        discussion: """
            With --town: the federation's service centers, village federations and help-desk laptops \
            enter five years of work offline, sync, and every node prints the same report; the report \
            is also written as an HTML page (--html, default hearth-town-report.html).
            """)
    @Flag(help: "Keep the demo's databases instead of deleting them.") var keep = false
    @Flag(help: "Build the whole town federation with five years of activity, then report.") var town = false
    @Option(help: ArgumentHelp("With --town: where to write the HTML report.", valueName: "file"))
    var html = "hearth-town-report.html"
    @Option(help: "With --town: the report's language, zh or en (default: from the locale).") var lang: String?

    func run() async throws {
        if town {
            let language = lang.flatMap { ReportLanguage(rawValue: $0.lowercased()) } ?? .fromEnvironment()
            let report = try await TownStory(keepFiles: keep, htmlPath: html, language: language) { line in
                // Unbuffered, so the story is told line by line even through a pipe.
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }.run()
            if report == nil { throw ExitCode(ExitStatus.refused) }
            return
        }
        let agreed = try await DemoStory(keepFiles: keep) { print($0) }.run()
        if !agreed { throw ExitCode(ExitStatus.refused) }
    }
}
