import ArgumentParser
import Foundation
import HearthCLI
import Replica

/// `hearth export members|activities|attendance --out FILE.csv`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write members, activities or attendance to a CSV file for Excel or WPS (mode 0600).",
        discussion: """
            The file is UTF-8 with a byte-order mark, CRLF line ends and RFC 4180 quoting, with Chinese \
            headers (姓名, 电话, 标题, 开始时间…) and Chinese choice words (外地, 培训) unless --lang en, so Excel \
            and WPS open it with the Chinese intact. `hearth member import` and `hearth activity import` \
            read an export back without changing anything. --from/--to select activities and attendance \
            by the activity's start date and members by the date they joined (members without one are \
            left out); --center selects members, activities and the attendance of activities of that \
            center. An existing file is refused unless --force. The file holds personal data: it is \
            created readable by its owner only.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(
        help: ArgumentHelp(
            "What to export: members, activities or attendance (one line per registration).", valueName: "table"))
    var tableName: String

    var table: SpreadsheetExport.Table { SpreadsheetExport.Table(rawValue: tableName.lowercased()) ?? .members }
    @Option(help: ArgumentHelp("The CSV file to write.", valueName: "file")) var out: String
    @Option(help: "Only this service center.") var center: String?
    @Option(help: ArgumentHelp("Only from this date on, like 2026-01-01.", valueName: "date")) var from: String?
    @Option(help: ArgumentHelp("Only up to this date (included).", valueName: "date")) var to: String?
    @Option(help: "zh (Chinese headers and words, the default) or en (field names and stored values).")
    var lang = "zh"
    @Flag(help: "Replace the file if it exists.") var force = false
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        guard SpreadsheetExport.Table(rawValue: tableName.lowercased()) != nil else {
            throw ValidationError("export members, activities or attendance")
        }
        guard SpreadsheetExport.Headers(rawValue: lang.lowercased()) != nil else {
            throw ValidationError("--lang must be zh or en")
        }
        for (name, date) in [("from", from), ("to", to)] {
            if let date, ISODate.parse(date) == nil {
                throw ValidationError("--\(name) must be a date like 2026-01-28")
            }
        }
        if let from, let to, let start = ISODate.parse(from), let end = ISODate.parse(to), start > end {
            throw ValidationError("--from is after --to")
        }
    }

    func run() throws {
        let filter = SpreadsheetExport.Filter(
            center: center?.trimmingCharacters(in: .whitespaces).nilIfEmpty, from: from.flatMap(ISODate.parse),
            to: to.flatMap(ISODate.parse))
        let export = SpreadsheetExport(
            table, filter: filter, headers: SpreadsheetExport.Headers(rawValue: lang.lowercased()) ?? .chinese)
        let csv = try export.csv(from: try global.openReplica())
        if !force, FileManager.default.fileExists(atPath: out) {
            throw ReplicaError(
                .alreadyExists, "\(out) already exists; give another --out file, or pass --force to replace it")
        }
        try PrivateFile.create(out, bytes: csv.bytes, replacing: force)
        let rows = csv.recordCount - 1
        if json {
            print(
                JSONValue.object([
                    "table": .string(table.rawValue), "rows": .integer(Int64(rows)), "file": .string(out),
                ]).rendered())
        } else {
            print("wrote \(rows) row\(rows == 1 ? "" : "s") of \(table.rawValue) to \(out)")
        }
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
