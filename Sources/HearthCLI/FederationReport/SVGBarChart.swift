/// A bar chart drawn as inline SVG: no scripts, no fonts or files fetched, prints as it shows.
///
/// Horizontal bars (a label, a bar, its value) suit long Chinese names of centers and kinds;
/// vertical columns suit months. Values are whole numbers; text is XML-escaped.
public struct SVGBarChart: Sendable {
    public enum Orientation: Sendable {
        case horizontal
        case vertical
    }

    public struct Bar: Sendable {
        public var label: String
        public var value: Int
        public var shown: String
        public var color: String
        /// The label under a vertical column, nil for none (a month chart labels its Januaries).
        public var tick: String?

        public init(
            label: String, value: Int, shown: String, color: String = SVGBarChart.palette[0], tick: String? = nil
        ) {
            self.label = label
            self.tick = tick
            self.value = value
            self.shown = shown
            self.color = color
        }
    }

    /// Colours that stay apart in print and for most colour-blind readers (Okabe–Ito).
    public static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999"]

    public var title: String
    public var bars: [Bar]
    public var orientation: Orientation
    public var width = 680

    public init(title: String, bars: [Bar], orientation: Orientation) {
        self.title = title
        self.bars = bars
        self.orientation = orientation
    }

    public var svg: String {
        orientation == .horizontal ? horizontal : vertical
    }

    private var maximum: Int { max(1, bars.map(\.value).max() ?? 1) }

    private var horizontal: String {
        let rowHeight = 22
        let labelWidth = 190
        let valueWidth = 110
        let barSpace = width - labelWidth - valueWidth
        let height = bars.count * rowHeight + 8
        var out = open(height: height)
        for (index, bar) in bars.enumerated() {
            let y = index * rowHeight + 4
            let length = bar.value == 0 ? 0 : max(2, bar.value * barSpace / maximum)
            out += """
                <text x="\(labelWidth - 8)" y="\(y + 15)" text-anchor="end" class="label">\(HTMLText.escape(DisplayWidth.truncate(bar.label, toWidth: 28)))</text>\
                <rect x="\(labelWidth)" y="\(y + 3)" width="\(length)" height="\(rowHeight - 6)" fill="\(bar.color)" rx="2"/>\
                <text x="\(labelWidth + length + 6)" y="\(y + 15)" class="value">\(HTMLText.escape(bar.shown))</text>
                """
        }
        return out + "</svg>"
    }

    private var vertical: String {
        let height = 230
        let top = 22
        let bottom = 40
        let left = 8
        let plot = height - top - bottom
        let slot = bars.isEmpty ? 1 : Double(width - left * 2) / Double(bars.count)
        var out = open(height: height)
        out += "<line x1=\"\(left)\" y1=\"\(top + plot)\" x2=\"\(width - left)\" y2=\"\(top + plot)\" class=\"axis\"/>"
        let labelEvery = bars.contains { $0.tick != nil } ? Int.max : max(1, Int((70.0 / slot).rounded(.up)))
        for (index, bar) in bars.enumerated() {
            let x = Double(left) + Double(index) * slot
            let barHeight = bar.value * plot / maximum
            let barWidth = max(1.0, slot * 0.72)
            out += """
                <rect x="\(format(x + (slot - barWidth) / 2))" y="\(top + plot - barHeight)" \
                width="\(format(barWidth))" height="\(barHeight)" fill="\(bar.color)"><title>\(HTMLText.escape(bar.label)): \
                \(HTMLText.escape(bar.shown))</title></rect>
                """
            if bar.value == maximum {
                out +=
                    "<text x=\"\(format(x + slot / 2))\" y=\"\(top + plot - barHeight - 4)\" text-anchor=\"middle\" "
                    + "class=\"value\">\(HTMLText.escape(bar.shown))</text>"
            }
            if let tick = bar.tick ?? (index % labelEvery == 0 ? bar.label : nil) {
                out +=
                    "<line x1=\"\(format(x))\" y1=\"\(top + plot)\" x2=\"\(format(x))\" y2=\"\(top + plot + 5)\" "
                    + "class=\"axis\"/><text x=\"\(format(x + 2))\" y=\"\(top + plot + 16)\" "
                    + "class=\"tick\">\(HTMLText.escape(tick))</text>"
            }
        }
        return out + "</svg>"
    }

    private func open(height: Int) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" "
            + "aria-label=\"\(HTMLText.escape(title))\"><title>\(HTMLText.escape(title))</title>"
    }

    private func format(_ value: Double) -> String {
        String(Double(Int(value * 10)) / 10)
    }
}

/// Escaping for text placed in HTML or SVG.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
