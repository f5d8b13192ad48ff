/// The aligned text table: id, scenario, figure, measured, target, met?
struct ReportTable {
    var summaries: [FigureSummary]
    var sizes: BenchSizes

    func render() -> String {
        var rows: [[String]] = [["id", "scenario", "figure", "measured", "target", "met?"]]
        var previous: ScenarioID?
        for summary in summaries {
            let first = summary.id != previous
            previous = summary.id
            let target = summary.targetText ?? summary.reference.map { "(\($0))" } ?? ""
            let met = summary.met.map { $0 ? "yes" : "NO" } ?? ""
            rows.append([
                first ? summary.id.rawValue : "", first ? summary.id.title(sizes) : "", summary.figure,
                FigureFormat.value(summary.median, unit: summary.unit), target, met,
            ])
        }
        var widths = Array(repeating: 0, count: rows[0].count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        let rightAligned: Set<Int> = [3]
        var lines: [String] = []
        for (index, row) in rows.enumerated() {
            var cells: [String] = []
            for (column, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                cells.append(rightAligned.contains(column) ? padding + cell : cell + padding)
            }
            lines.append(cells.joined(separator: "  ").trimmingTrailingSpaces())
            if index == 0 { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
