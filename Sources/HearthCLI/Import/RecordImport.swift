public import Foundation
public import Replica
public import SyncCore

/// `hearth member import`, `hearth activity import`: a spreadsheet's CSV export, checked whole,
/// then matched with the stored records and written whole.
///
/// `prepare` reads and decodes the file (`TextDecoding`), splits it (`CSVReader`), maps its header
/// (`ImportColumns`) and checks every row with the declaration's own parser and rules, before
/// anything touches the replica. A file with any bad row is refused with one line per problem,
/// naming the row and column but never the values (they are names and phone numbers).
/// `plan` then matches each row with the stored records (`ImportableType.MatchRule`) and `apply`
/// writes what changed in one replica transaction: all of it, or none (`RecordImport+Plan.swift`).
public struct RecordImport: Sendable {
    /// One checked row: where it is in the file and its values (empty cells left out).
    public struct Row: Sendable, Hashable {
        public var record: CSVReader.Record
        public var values: [String: FieldValue]

        /// "row 7" (or "row 7 (line 9)"), for messages.
        public var place: String { record.place }
    }

    /// At most this many problems are listed in a refusal; the rest are counted.
    public static let listedProblems = 20

    /// What is imported.
    public var kind: ImportableType
    /// The file as it was read.
    public var source: String
    public var encoding: TextDecoding.Encoding
    public var columns: ImportColumns
    /// The checked rows, in file order.
    public var rows: [Row]

    /// Reads the CSV file at `path` and checks every row; see `prepare(data:source:as:ignoreUnknown:)`.
    public static func prepare(file path: String, as kind: ImportableType, ignoreUnknown: Bool = false)
        throws(ReplicaError) -> RecordImport
    {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            guard FileManager.default.fileExists(atPath: path) else {
                throw ReplicaError(.notFound, "no file at \(path); give the path of the CSV file to import")
            }
            throw ReplicaError(.invalidInput, "cannot read \(path): \(error)", cause: error)
        }
        return try prepare(data: data, source: url.lastPathComponent, as: kind, ignoreUnknown: ignoreUnknown)
    }

    /// Decodes, parses and checks a whole CSV file; throws `.invalidInput` listing every bad row.
    public static func prepare(data: Data, source: String, as kind: ImportableType, ignoreUnknown: Bool = false)
        throws(ReplicaError) -> RecordImport
    {
        let decoded = try TextDecoding.decode(data, source: source)
        var records = try CSVReader(source: source).records(in: decoded.text)
        guard !records.isEmpty else {
            throw ReplicaError(
                .invalidInput, "\(source) is empty; it needs a header row and one row per \(kind.type.name)")
        }
        let header = records.removeFirst()
        let columns = try ImportColumns.map(
            header: header, data: records, type: kind.type, aliases: kind.aliases, ignoreUnknown: ignoreUnknown,
            source: source)
        var rows: [Row] = []
        rows.reserveCapacity(records.count)
        var problems: [String] = []
        var badRows = 0
        for record in records {
            let found = check(record, columns: columns, kind: kind)
            if found.problems.isEmpty {
                rows.append(Row(record: record, values: found.values))
            } else {
                badRows += 1
                problems += found.problems
            }
        }
        guard problems.isEmpty else {
            throw refusal(
                "\(source): \(badRows) of \(records.count) row\(records.count == 1 ? "" : "s") "
                    + "\(badRows == 1 ? "has a problem" : "have problems"); nothing was imported",
                problems: problems)
        }
        return RecordImport(kind: kind, source: source, encoding: decoded.encoding, columns: columns, rows: rows)
    }

    /// A refusal listing `problems` under `heading`, at most `listedProblems` of them.
    static func refusal(_ heading: String, problems: [String]) -> ReplicaError {
        var lines = [heading]
        lines += problems.prefix(listedProblems).map { "  " + $0 }
        if problems.count > listedProblems { lines.append("  … and \(problems.count - listedProblems) more") }
        lines.append("fix the rows in the spreadsheet, export it again and rerun the import")
        return ReplicaError(.invalidInput, lines.joined(separator: "\n"))
    }

    /// The values of one row, or what is wrong with it ("row 7, column 电话: phone must be …").
    static func check(_ record: CSVReader.Record, columns: ImportColumns, kind: ImportableType) -> (
        values: [String: FieldValue], problems: [String]
    ) {
        var values: [String: FieldValue] = [:]
        var problems: [String] = []
        if record.fields.count > columns.width, record.fields[columns.width...].contains(where: { !$0.isEmpty }) {
            problems.append(
                "\(record.place): has \(record.fields.count) cells but the header has \(columns.width) columns "
                    + "(a comma inside a value that is not in quotes?)")
        }
        for column in columns.mapped where column.index < record.fields.count {
            let text = kind.normalise(record.fields[column.index], for: column.field)
            do {
                let value = try kind.type.parse(column.field, text: text)
                if !value.isNull { values[column.field] = value }
            } catch {
                let place = ImportColumns.display(column.header, index: column.index)
                problems.append("\(record.place), column \(place): \(error.message)")
            }
        }
        if problems.isEmpty {
            do {
                try kind.type.validate(values)
            } catch {
                problems.append("\(record.place): \(error.message)")
            }
        }
        return (values, problems)
    }
}
