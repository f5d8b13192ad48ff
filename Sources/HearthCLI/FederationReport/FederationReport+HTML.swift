import Replica

extension FederationReport {
    /// `hearth report --html FILE`: one self-contained page (inline CSS and SVG, no scripts, nothing
    /// fetched) with the headline figures, charts and tables, laid out to print on A4.
    ///
    /// The markup is also well-formed XML (void elements self-closed, only XML's own entities), so
    /// it can be checked with an XML parser.
    public func html(_ l: ReportLanguage) -> String {
        var body = "<header><h1>\(e(l.label("title")))</h1><p class=\"scope\">\(e(scopeText(l))) · "
        body += "\(e(l.label("generated")))</p></header>\n"
        body += "<section class=\"cards\">"
        for (label, value) in highlights(l) {
            body +=
                "<div class=\"card\"><div class=\"figure\">\(e(value))</div><div class=\"caption\">\(e(label))</div></div>"
        }
        body += "</section>\n"

        let kindColors = Dictionary(
            uniqueKeysWithValues: HearthSchema.activityKinds.enumerated().map {
                ($0.element, SVGBarChart.palette[$0.offset % SVGBarChart.palette.count])
            })
        let months = SVGBarChart(
            title: l.label("activities.byMonth"),
            bars: activitiesByMonth.map {
                .init(
                    label: l.month($0.key), value: $0.attended, shown: l.count($0.attended),
                    tick: $0.key.hasSuffix("-01") || activitiesByMonth.count < 13 ? tickLabel($0.key, l) : nil)
            },
            orientation: .vertical)
        body += chartSection(l.label("activities.byMonth"), months)
        let kinds = SVGBarChart(
            title: l.label("chart.kindBreakdown"),
            bars: activitiesByKind.map {
                .init(
                    label: l.label("kind.\($0.key)"), value: $0.attended,
                    shown: "\(l.count($0.attended)) (\(percent($0.attended, of: activities.attended)))",
                    color: kindColors[$0.key] ?? SVGBarChart.palette[6])
            }, orientation: .horizontal)
        body += chartSection(l.label("chart.kindBreakdown"), kinds)
        let centers = SVGBarChart(
            title: l.label("activities.byCenter"),
            bars: activitiesByCenter.map {
                .init(
                    label: centerName($0.key, l), value: $0.attended, shown: l.count($0.attended),
                    color: SVGBarChart.palette[2])
            }, orientation: .horizontal)
        body += chartSection(l.label("activities.byCenter"), centers)
        body += tableSection(l.label("largest"), eventsTable(l))
        body += tableSection(
            l.label("activities.byKind"),
            activityTable(activitiesByKind, first: l.label("kind"), l) { l.label("kind.\($0)") })

        let memberBars = SVGBarChart(
            title: l.label("members.byCenter"),
            bars: membersByCenter.prefix(16).map {
                .init(
                    label: centerName($0.center, l), value: $0.total,
                    shown: "\(l.count($0.total)) (\(l.label("members.nonlocal")) \(l.count($0.nonlocal)))",
                    color: SVGBarChart.palette[4])
            }, orientation: .horizontal)
        body += chartSection(l.label("members.byCenter"), memberBars)
        body += tableSection(l.label("members.byCenter"), membersTable(l))

        let trades = SVGBarChart(
            title: l.label("certificates"),
            bars: certificatesByTrade.map {
                .init(label: $0.trade, value: $0.count, shown: l.count($0.count), color: SVGBarChart.palette[1])
            },
            orientation: .horizontal)
        body += chartSection("\(l.label("certificates")) · \(l.count(certificates))", trades)
        body += tableSection(l.label("legal"), casesTable(l))
        if !enterprisesReviewed.isEmpty {
            body +=
                "<section><h2>\(e(l.label("legal.reviewed"))) · \(enterprisesReviewed.count)</h2><p class=\"names\">"
            body += e(enterprisesReviewed.joined(separator: l == .zh ? "、" : ", ")) + "</p></section>\n"
        }
        body += tableSection(l.label("mutual"), mutualAidTable(l))

        return """
            <!DOCTYPE html>
            <html lang="\(l == .zh ? "zh-CN" : "en")" xmlns="http://www.w3.org/1999/xhtml">
            <head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(e(l.label("title"))) — \(e(scopeText(l)))</title>
            <style>\(Self.css)</style></head>
            <body>
            \(body)</body>
            </html>

            """
    }

    private func e(_ text: String) -> String { HTMLText.escape(text) }

    /// Under a month column: the year at each January (`2024年` / `2024`), else the month.
    private func tickLabel(_ month: String, _ l: ReportLanguage) -> String {
        guard month.hasSuffix("-01") else { return l.month(month) }
        return l == .zh ? "\(month.prefix(4))年" : String(month.prefix(4))
    }

    private func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0%" }
        let tenths = (part * 1000 + whole / 2) / whole
        return "\(tenths / 10).\(tenths % 10)%"
    }

    private func chartSection(_ title: String, _ chart: SVGBarChart) -> String {
        guard !chart.bars.isEmpty else { return "" }
        return "<section class=\"chart\"><h2>\(e(title))</h2>\(chart.svg)</section>\n"
    }

    private func tableSection(_ title: String, _ table: TextTable) -> String {
        guard !table.rows.isEmpty else { return "" }
        var out = "<section><h2>\(e(title))</h2><table><thead><tr>"
        for column in table.columns {
            out += "<th\(column.alignment == .right ? " class=\"num\"" : "")>\(e(column.header))</th>"
        }
        out += "</tr></thead><tbody>"
        for row in table.rows {
            out += "<tr>"
            for (index, cell) in row.enumerated() {
                out += "<td\(table.columns[index].alignment == .right ? " class=\"num\"" : "")>\(e(cell))</td>"
            }
            out += "</tr>"
        }
        return out + "</tbody></table></section>\n"
    }

    static let css = """
        @page { size: A4; margin: 14mm 12mm; }
        * { box-sizing: border-box; }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", \
        "WenQuanYi Zen Hei", sans-serif; color: #1d2733; margin: 0 auto; max-width: 186mm; padding: 8mm 0; \
        font-size: 10.5pt; line-height: 1.45; }
        header { border-bottom: 3px solid #b3261e; margin-bottom: 5mm; }
        h1 { font-size: 21pt; margin: 0 0 1mm; color: #b3261e; }
        h2 { font-size: 12.5pt; margin: 0 0 2mm; border-left: 4px solid #0072B2; padding-left: 2.5mm; }
        .scope { color: #5a6570; margin: 0 0 3mm; }
        section { margin: 0 0 6mm; break-inside: avoid; page-break-inside: avoid; }
        .cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; }
        .card { border: 1px solid #d9dee3; border-radius: 2mm; padding: 2.5mm 3mm; background: #f7f9fb; }
        .figure { font-size: 14pt; font-weight: 700; color: #0b4f7c; }
        .caption { color: #4a5560; font-size: 9.5pt; }
        svg { display: block; max-width: 100%; height: auto; }
        svg .label, svg .value, svg .tick { font-size: 12px; fill: #1d2733; }
        svg .tick { font-size: 10px; fill: #4a5560; }
        svg .axis { stroke: #8a949e; stroke-width: 1; }
        table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
        th, td { border-bottom: 1px solid #e3e7eb; padding: 1mm 2mm; text-align: left; }
        th { background: #eef2f6; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        .names { font-size: 9.5pt; color: #33404d; }
        @media print { body { padding: 0; } .card { background: #fff; } }
        """
}
