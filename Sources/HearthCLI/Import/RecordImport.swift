public import Foundation
public import Replica
public import SyncCore

/// `hearth member import`: a member list exported from a spreadsheet, checked whole, then written whole.
///
/// `prepare` reads and decodes the file (`TextDecoding`), splits it (`CSVReader`), maps its header
/// (`ImportColumns`) and checks every row with the member declaration's own parser and rules,
/// before anything touches the replica. A file with any bad row is refused with one line per
/// problem, naming the row and column but never the values (they are names and phone numbers).
/// `insert` then writes every member in one replica transaction: all of them, or none.
public struct MemberImport: Sendable {
    /// The member declaration the rows are checked against.
    public static var type: RecordType { HearthSchema.member }

    /// Headers accepted besides the field names, per field; the first is the one hints show.
    public static let aliases: [String: [String]] = [
        "name": ["姓名", "名字"],
        "gender": ["性别", "sex"],
        "phone": ["电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "mobile"],
        "employer": ["单位", "工作单位", "企业"],
        "center": ["服务中心", "中心", "所属中心"],
        "residency": ["户籍"],
        "joinedOn": ["入会日期", "入会时间", "joined"],
        "skills": ["技能", "证书", "技能证书"],
        "notes": ["备注"],
    ]

    /// Residency values as Chinese spreadsheets write them, and what they mean.
    public static let residencyWords: [String: String] = [
        "本地": "local", "外地": "nonlocal", "非本地": "nonlocal", "新市民": "nonlocal", "non-local": "nonlocal",
    ]

    /// At most this many problems are listed in a refusal; the rest are counted.
    public static let listedProblems = 20

    /// The file as it was read.
    public var source: String
    public var encoding: TextDecoding.Encoding
    public var columns: ImportColumns
    /// One checked set of values per member to create (empty cells left out), in file order.
    public var members: [[String: FieldValue]]

    /// Reads the CSV file at `path` and checks every row; see `prepare(data:source:ignoreUnknown:)`.
    public static func prepare(file path: String, ignoreUnknown: Bool = false) throws(ReplicaError) -> MemberImport {
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
        return try prepare(data: data, source: url.lastPathComponent, ignoreUnknown: ignoreUnknown)
    }

    /// Decodes, parses and checks a whole CSV file; throws `.invalidInput` listing every bad row.
    public static func prepare(data: Data, source: String, ignoreUnknown: Bool = false) throws(ReplicaError)
        -> MemberImport
    {
        let decoded = try TextDecoding.decode(data, source: source)
        var records = try CSVReader(source: source).records(in: decoded.text)
        guard !records.isEmpty else {
            throw ReplicaError(.invalidInput, "\(source) is empty; it needs a header row and one row per member")
        }
        let header = records.removeFirst()
        let columns = try ImportColumns.map(
            header: header, data: records, type: type, aliases: aliases, ignoreUnknown: ignoreUnknown, source: source)
        var members: [[String: FieldValue]] = []
        members.reserveCapacity(records.count)
        var problems: [String] = []
        var badRows = 0
        for record in records {
            let found = check(record, columns: columns)
            if found.problems.isEmpty {
                members.append(found.values)
            } else {
                badRows += 1
                problems += found.problems
            }
        }
        guard problems.isEmpty else {
            var lines = [
                "\(source): \(badRows) of \(records.count) row\(records.count == 1 ? "" : "s") "
                    + "\(badRows == 1 ? "has a problem" : "have problems"); nothing was imported"
            ]
            lines += problems.prefix(listedProblems).map { "  " + $0 }
            if problems.count > listedProblems { lines.append("  … and \(problems.count - listedProblems) more") }
            lines.append("fix the rows in the spreadsheet, export it again and rerun the import")
            throw ReplicaError(.invalidInput, lines.joined(separator: "\n"))
        }
        return MemberImport(source: source, encoding: decoded.encoding, columns: columns, members: members)
    }

    /// Writes every member in one replica transaction and returns how many were created.
    ///
    /// Each row is validated again by the replica as it is written; any failure rolls back all.
    @discardableResult
    public func insert(into replica: Replica) throws(ReplicaError) -> Int {
        let type = Self.type
        try replica.write { transaction in
            for values in members { try transaction.insert(type, values) }
        }
        return members.count
    }

    /// The values of one row, or what is wrong with it ("row 7, column 电话: phone must be …").
    static func check(_ record: CSVReader.Record, columns: ImportColumns) -> (
        values: [String: FieldValue], problems: [String]
    ) {
        var values: [String: FieldValue] = [:]
        var problems: [String] = []
        if record.fields.count > columns.width, record.fields[columns.width...].contains(where: { !$0.isEmpty }) {
            problems.append(
                "row \(record.row): has \(record.fields.count) cells but the header has \(columns.width) columns "
                    + "(a comma inside a value that is not in quotes?)")
        }
        for column in columns.mapped where column.index < record.fields.count {
            let text = normalise(record.fields[column.index], for: column.field)
            do {
                let value = try type.parse(column.field, text: text)
                if !value.isNull { values[column.field] = value }
            } catch {
                let place = ImportColumns.display(column.header, index: column.index)
                problems.append("row \(record.row), column \(place): \(error.message)")
            }
        }
        if problems.isEmpty {
            do {
                try type.validate(values)
            } catch {
                problems.append("row \(record.row): \(error.message)")
            }
        }
        return (values, problems)
    }

    /// Spreadsheet spellings turned into what the member declaration accepts: Chinese residency
    /// words, and dates such as `2025/3/8`, `2025.3.8` or `2025年3月8日` (as Chinese Excel writes them).
    static func normalise(_ text: String, for field: String) -> String {
        switch field {
        case "residency": residencyWords[text.lowercased()] ?? text
        case "joinedOn": isoDate(text) ?? text
        default: text
        }
    }

    /// `yyyy-MM-dd` for a year, month and day separated by `/`, `.`, `-` or 年月日; nil otherwise.
    static func isoDate(_ text: String) -> String? {
        var parts: [String] = [""]
        for scalar in text.unicodeScalars {
            switch scalar {
            case "0"..."9": parts[parts.count - 1].unicodeScalars.append(scalar)
            case "/", ".", "-", "年", "月": parts.append("")
            case "日" where parts.count == 3: parts.append("")
            default: return nil
            }
        }
        if parts.count == 4, parts[3].isEmpty { parts.removeLast() }
        guard parts.count == 3, parts[0].utf8.count == 4, (1...2).contains(parts[1].utf8.count),
            (1...2).contains(parts[2].utf8.count)
        else { return nil }
        let pad = { (part: String) in part.utf8.count == 1 ? "0" + part : part }
        return "\(parts[0])-\(pad(parts[1]))-\(pad(parts[2]))"
    }
}
