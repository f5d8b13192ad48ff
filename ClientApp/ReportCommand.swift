import ArgumentParser
import Foundation
import HearthCLI
import Replica

/// `hearth report`: the figures a federation report quotes, computed from this replica.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Add up members, activities, certificates, legal aid and mutual aid, as a federation report quotes them.",
        discussion: """
            Speaks Chinese when the locale is Chinese (LANG=zh_CN.UTF-8) or with --lang zh, else English. \
            --html FILE writes one self-contained page with charts that prints on A4.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Only what happened on or after this date, like 2021-01-01.", valueName: "date"))
    var from: String?
    @Option(help: ArgumentHelp("Only what happened on or before this date.", valueName: "date")) var to: String?
    @Option(help: "Only this service center or federation.") var center: String?
    @Option(help: "zh or en (default: from the locale).") var lang: String?
    @Option(help: ArgumentHelp("Write the report as an HTML page to this file.", valueName: "file")) var html: String?
    @Flag(help: "Print the figures as JSON (money in whole fen).") var json = false

    func validate() throws {
        if let lang, ReportLanguage(rawValue: lang.lowercased()) == nil {
            throw ValidationError("--lang must be zh or en")
        }
        for (name, date) in [("from", from), ("to", to)] {
            if let date, ISODate.parse(date) == nil {
                throw ValidationError("--\(name) must be a date like 2026-01-28")
            }
        }
        if let from, let to, from > to { throw ValidationError("--from is after --to") }
    }

    func run() throws {
        let language = lang.flatMap { ReportLanguage(rawValue: $0.lowercased()) } ?? .fromEnvironment()
        let scope = FederationReport.Scope(
            from: from.flatMap(ISODate.parse), to: to.flatMap(ISODate.parse), center: center)
        let report = try global.openReplica().read { reader in try FederationReport.load(reader, scope: scope) }
        if let html {
            do {
                try Data(report.html(language).utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
            } catch {
                throw ReplicaError(
                    .invalidInput, "cannot write the report to \(html); check that its folder exists and is writable")
            }
            if !json { print(language == .zh ? "报告已写入 \(html)" : "wrote the report to \(html)") }
        }
        if json {
            print(report.json.rendered())
        } else if html == nil {
            print(report.text(language))
        }
    }
}
