public import Replica

/// Reads comma-separated values as RFC 4180 describes them, the way spreadsheets write them.
///
/// Fields are separated by commas and records by CRLF, LF or a lone CR. A field in double quotes
/// may hold commas, line breaks and doubled quotes (`""` is one `"`); spaces around the quotes are
/// allowed. Every field is trimmed of whitespace (full-width spaces included). A quote inside an
/// unquoted field is kept as it is, as Excel does. Records whose fields are all empty (blank lines,
/// and the `,,,,` rows spreadsheets leave after the data) are skipped, but still counted, so a
/// record's `row` is the row number a spreadsheet shows for it.
public struct CSVReader: Sendable {
    /// One record of the file: the row a spreadsheet shows it on (the header is row 1) and its fields.
    public struct Record: Sendable, Hashable {
        public var row: Int
        public var fields: [String]

        public init(row: Int, fields: [String]) {
            self.row = row
            self.fields = fields
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
        while let fields = try parser.nextRecord(source: source) {
            if fields.contains(where: { !$0.isEmpty }) {
                records.append(Record(row: parser.row, fields: fields))
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

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        /// The next record's fields, or nil at the end of the text.
        mutating func nextRecord(source: String) throws(ReplicaError) -> [String]? {
            guard index < bytes.count else { return nil }
            row += 1
            var fields: [String] = []
            var field: [UInt8] = []
            while true {
                let (text, ended) = try nextField(into: &field, source: source, column: fields.count + 1)
                fields.append(text)
                if ended { return fields }
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
                let startRow = row
                while true {
                    guard index < bytes.count else {
                        throw ReplicaError(
                            .invalidInput,
                            "\(source): row \(startRow), column \(column) opens a quoted field (\") that is never "
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
                    return (Self.text(field), true)
                }
                if quoted, byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t") {
                    throw ReplicaError(
                        .invalidInput,
                        "\(source): row \(row), column \(column) has text after its closing quote; "
                            + "a quote inside a quoted field must be doubled (\"\")")
                }
                if !quoted { field.append(byte) }
                index += 1
            }
            return (Self.text(field), true)
        }

        private static func text(_ bytes: [UInt8]) -> String {
            String(decoding: bytes, as: UTF8.self).trimmingWhitespaceAndNewlines()
        }
    }
}
