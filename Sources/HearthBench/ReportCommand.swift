import ArgumentParser
import Foundation

/// `hearth-bench report FILE…`: prints the table of documents saved with `--json`, merging the
/// runs of several invocations (each figure's median is taken over all their runs).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Print (and merge) results saved earlier with --json.")

    @Argument(help: "JSON documents written by `hearth-bench --json`.")
    var files: [String]
    @Flag(help: "Print the merged JSON document instead of the table.")
    var json = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one JSON document written by `hearth-bench --json`") }
    }

    func run() throws {
        let documents = try files.map { path in
            try JSONDecoder().decode(BenchDocument.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        }
        var merged = documents[0]
        merged.runs = documents.reduce(0) { $0 + $1.runs }
        merged.postgres = documents.compactMap(\.postgres).first
        merged.figures = FigureSummary.merge(documents.map(\.figures))
        if json {
            print(try merged.jsonText())
        } else {
            print(ReportTable(summaries: merged.figures, sizes: merged.sizes).render())
            print("runs: \(merged.runs) (medians shown)")
            print(merged.machine.summaryLine)
            if let postgres = merged.postgres { print("server database for the -pg scenarios: \(postgres)") }
        }
    }
}

extension FigureSummary {
    /// Concatenates the runs of the same figure across documents and recomputes median and verdict.
    static func merge(_ documents: [[FigureSummary]]) -> [FigureSummary] {
        var order: [String] = []
        var merged: [String: FigureSummary] = [:]
        for figures in documents {
            for figure in figures {
                let key = figure.id.rawValue + "\u{1F}" + figure.figure
                if var existing = merged[key] {
                    existing.runs += figure.runs
                    merged[key] = existing
                } else {
                    order.append(key)
                    merged[key] = figure
                }
            }
        }
        return order.map { key in
            var figure = merged[key]!
            figure.median = figure.unit == .yesNo ? figure.runs.min()! : median(figure.runs)
            figure.met = figure.target.map { $0.isMet(by: figure.median) }
            return figure
        }
    }
}
