/// A plain-text table whose columns stay aligned when cells hold Chinese text.
///
/// Widths are measured in terminal columns (`DisplayWidth`), not characters, so a cell of
/// four ideographs pads like one of eight ASCII letters. Line breaks, tabs and other control
/// characters in cells become spaces so that one row is always one line.
public struct TextTable: Sendable {
    public enum Alignment: Sendable {
        case left
        case right
    }

    public struct Column: Sendable {
        public var header: String
        public var alignment: Alignment
        /// Cells wider than this are cut and end with `…`; nil keeps them whole.
        public var maxWidth: Int?

        public init(_ header: String, alignment: Alignment = .left, maxWidth: Int? = nil) {
            self.header = header
            self.alignment = alignment
            self.maxWidth = maxWidth
        }
    }

    public var columns: [Column]
    public private(set) var rows: [[String]] = []
    /// What separates two columns.
    public var gap = "  "

    public init(columns: [Column]) {
        self.columns = columns
    }

    public init(headers: [String]) {
        self.init(columns: headers.map { Column($0) })
    }

    /// Adds a row; missing cells are empty and extra cells are ignored.
    public mutating func append(_ cells: [String]) {
        rows.append(columns.indices.map { $0 < cells.count ? cells[$0] : "" })
    }

    /// The table as lines joined by newlines, header first, without trailing spaces.
    public func render() -> String {
        let cellsByRow = ([columns.map(\.header)] + rows).map { row in
            row.enumerated().map { index, cell in
                let clean = Self.singleLine(cell)
                return columns[index].maxWidth.map { DisplayWidth.truncate(clean, toWidth: $0) } ?? clean
            }
        }
        var widths = Array(repeating: 0, count: columns.count)
        for row in cellsByRow {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], DisplayWidth.of(cell)) }
        }
        return cellsByRow.map { row in
            let padded = row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - DisplayWidth.of(cell))
                return columns[index].alignment == .left ? cell + padding : padding + cell
            }
            return Self.trimmingTrailingSpaces(padded.joined(separator: gap))
        }.joined(separator: "\n")
    }

    static func singleLine(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
                        ? " " : scalar
                }))
    }

    static func trimmingTrailingSpaces(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }
}
