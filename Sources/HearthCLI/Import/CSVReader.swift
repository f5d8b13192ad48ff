public import Replica

/// Reads comma-separated values as RFC 4180 describes them, the way spreadsheets write them.
///
/// Fields are separated by commas and records by CRLF, LF or a lone CR. A field in double quotes
/// may hold commas, line breaks and doubled quotes (`""` is one `"`); spaces around the quotes are
/// allowed. Every field is trimmed of whitespace (full-width spaces included). A quote inside an
/// unquoted field is kept as it is, as Excel does. Records whose fields are all empty (blank lines,
/// and the `,,,,` rows spreadsheets leave after the data) are skipped, but still counted, so a
/// record's `row` is the row number a spreadsheet shows for it, and its `line` the physical line
/// a text editor shows it starting on (they differ once a quoted field above holds a line break).
///
/// Why not a CSV package from the environment's list: SwiftCSV 0.10.0 and yaslab/CSV.swift 2.5.2
/// were both read against what imports need. Neither reports where a record is (no row, no line),
/// so errors could not name the place to fix; both accept a quoted field that is never closed
/// (SwiftCSV swallows the rest of the file into it, CSV.swift ends it at the end of the file), and
/// CSV.swift keeps text after a closing quote without a word. For writing, SwiftCSV's serializer
/// does not quote fields holding line breaks and writes LF only; CSV.swift's writer would do, but
/// not enough to take on a dependency for the twenty lines of `CSVWriter`. So both stay here,
/// tested case by case in `CSVReaderTests` and `CSVWriterTests`.
public struct CSVReader: Sendable {
    /// One record of the file: where it is and its fields.
    public struct Record: Sendable, Hashable {
        /// The row a spreadsheet shows it on (the header is row 1).
        public var row: Int
        /// The physical line it starts on, counting every line break, those inside quotes too.
        public var line: Int
        public var fields: [String]

        public init(row: Int, line: Int? = nil, fields: [String]) {
            self.row = row
            self.line = line ?? row
            self.fields = fields
        }

        /// "row 7", or "row 7 (line 9)" when quoted line breaks above moved it down in the text.
        public var place: String {
            line == row ? "row \(row)" : "row \(row) (line \(line))"
        }
    }

    /// What the reader names in its error messages, such as the file's name.
    public var source: String

    public init(source: String = "the file") {
        self.source = source
    }

    /// The non-empty records of `text`, in file order.
    ///
    /// Throws `.invalidInput` for a quoted field that is never closed, or text after a closing
    /// quote, naming the row and column.
    public func records(in text: String) throws(ReplicaError) -> [Record] {
        var parser = Parser(bytes: Array(text.utf8))
        var records: [Record] = []
        while let (fields, line) = try parser.nextRecord(source: source) {
            if fields.contains(where: { !$0.isEmpty }) {
                records.append(Record(row: parser.row, line: line, fields: fields))
            }
        }
        return records
    }
}

extension CSVReader {
    /// A byte-level parser over UTF-8: the delimiters are ASCII, which never occurs inside a
    /// multi-byte UTF-8 sequence, so fields can be cut out of the bytes and decoded whole.
    struct Parser {
        private static let quote = UInt8(ascii: "\"")
        private static let comma = UInt8(ascii: ",")
        private static let lineFeed = UInt8(ascii: "\n")
        private static let carriageReturn = UInt8(ascii: "\r")

        let bytes: [UInt8]
        private var index = 0
        /// The row of the record read last (1-based, blank rows counted).
        private(set) var row = 0
        /// Line breaks read so far, those inside quoted fields included.
        private var lineBreaks = 0
        /// The physical line the record being read starts on.
        private var recordLine = 0

        /// Where the record being read is, for error messages.
        private var place: String { Record(row: row, line: recordLine, fields: []).place }

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        /// The next record's fields and the physical line it starts on, or nil at the end of the text.
        mutating func nextRecord(source: String) throws(ReplicaError) -> (fields: [String], line: Int)? {
            guard index < bytes.count else { return nil }
            row += 1
            recordLine = lineBreaks + 1
            var fields: [String] = []
            var field: [UInt8] = []
            while true {
                let (text, ended) = try nextField(into: &field, source: source, column: fields.count + 1)
                fields.append(text)
                if ended { return (fields, recordLine) }
            }
        }

        /// Reads one field; `ended` is true when it was the last of its record.
        private mutating func nextField(
            into field: inout [UInt8], source: String, column: Int
        ) throws(ReplicaError) -> (text: String, ended: Bool) {
            field.removeAll(keepingCapacity: true)
            var quoted = false
            // Leading spaces before an opening quote are allowed (`a, "b, c"`).
            var scan = index
            while scan < bytes.count, bytes[scan] == UInt8(ascii: " ") || bytes[scan] == UInt8(ascii: "\t") {
                scan += 1
            }
            if scan < bytes.count, bytes[scan] == Self.quote {
                quoted = true
                index = scan + 1
                while true {
                    guard index < bytes.count else {
                        throw ReplicaError(
                            .invalidInput,
                            "\(source): \(place), column \(column) opens a quoted field (\") that is never "
                                + "closed; check for a missing quote")
                    }
                    let byte = bytes[index]
                    index += 1
                    if byte == Self.quote {
                        if index < bytes.count, bytes[index] == Self.quote {
                            field.append(Self.quote)
                            index += 1
                        } else {
                            break
                        }
                    } else {
                        countLineBreak(byte)
                        field.append(byte)
                    }
                }
            }
            // Unquoted text, or what follows a closing quote up to the delimiter.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == Self.comma {
                    index += 1
                    return (Self.text(field), false)
                }
                if byte == Self.lineFeed || byte == Self.carriageReturn {
                    index += 1
                    if byte == Self.carriageReturn, index < bytes.count, bytes[index] == Self.lineFeed { index += 1 }
                    lineBreaks += 1
                    return (Self.text(field), true)
                }
                if quoted, byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t") {
                    throw ReplicaError(
                        .invalidInput,
                        "\(source): \(place), column \(column) has text after its closing quote; "
                            + "a quote inside a quoted field must be doubled (\"\")")
                }
                if !quoted { field.append(byte) }
                index += 1
            }
            return (Self.text(field), true)
        }

        /// Counts a line break inside a quoted field: LF, or a CR not followed by LF (CRLF counts once).
        private mutating func countLineBreak(_ byte: UInt8) {
            if byte == Self.lineFeed || (byte == Self.carriageReturn && bytes.get(index) != Self.lineFeed) {
                lineBreaks += 1
            }
        }

        private static func text(_ bytes: [UInt8]) -> String {
            String(decoding: bytes, as: UTF8.self).trimmingWhitespaceAndNewlines()
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func get(_ index: Int) -> UInt8? {
        index < count ? self[index] : nil
    }
}
