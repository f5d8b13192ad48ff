public import Replica
public import SyncCore

/// `hearth export members|activities|attendance`: a table of the replica as a CSV file that Excel
/// and WPS open with the Chinese intact, and that `hearth member import` / `hearth activity import`
/// read back without changing anything.
///
/// Headers are the Chinese words the importer accepts first (`姓名`, `电话`, `标题`…) and choice
/// values its Chinese words (`外地`, `培训`), or with `.english` the field names and stored values.
/// Phone numbers and formula-like text are written so that Excel keeps them as text
/// (`CSVWriter.protectedCell`).
public struct SpreadsheetExport: Sendable {
    public enum Table: String, Sendable, CaseIterable {
        case members, activities, attendance
    }

    public enum Headers: String, Sendable, CaseIterable {
        case chinese = "zh"
        case english = "en"
    }

    /// Which records go in: of one center, and in a period of days (both ends included).
    ///
    /// The period applies to activities by their start date, to attendance by its activity's
    /// start date, and to members by the date they joined (members without one are left out
    /// when a period is given).
    public struct Filter: Sendable, Hashable {
        public var center: String?
        public var from: String?
        public var to: String?

        public init(center: String? = nil, from: String? = nil, to: String? = nil) {
            self.center = center
            self.from = from
            self.to = to
        }

        var hasPeriod: Bool { from != nil || to != nil }

        /// True when the day of `timestamp` (its first ten characters) is in the period.
        func contains(day timestamp: String?) -> Bool {
            guard hasPeriod else { return true }
            guard let timestamp, !timestamp.isEmpty else { return false }
            let day = String(timestamp.prefix(10))
            return (from.map { day >= $0 } ?? true) && (to.map { day <= $0 } ?? true)
        }

        func contains(center value: FieldValue) -> Bool {
            center.map { value.text == $0 } ?? true
        }
    }

    public var table: Table
    public var filter: Filter
    public var headers: Headers

    public init(_ table: Table, filter: Filter = Filter(), headers: Headers = .chinese) {
        self.table = table
        self.filter = filter
        self.headers = headers
    }

    /// The file's bytes (BOM, header, one CRLF-ended line per record) from one snapshot.
    public func csv(from replica: Replica) throws(ReplicaError) -> CSVWriter {
        try replica.read { reader in
            switch table {
            case .members:
                let members = try reader.list(HearthSchema.member).filter {
                    filter.contains(center: $0["center"]) && filter.contains(day: $0["joinedOn"].text)
                }
                return recordTable(members, as: .member)
            case .activities:
                return recordTable(try activities(reader), as: .activity)
            case .attendance:
                return try attendanceTable(reader)
            }
        }
    }

    /// Live activities passing the filter, by start time and title.
    func activities(_ reader: ReplicaReader) throws -> [RecordSnapshot] {
        try reader.list(HearthSchema.activity)
            .filter { filter.contains(center: $0["center"]) && filter.contains(day: $0["startsAt"].text) }
            .sorted {
                ($0["startsAt"].description, $0["title"].description) < (
                    $1["startsAt"].description, $1["title"].description
                )
            }
    }

    /// Every declared field of `kind`, a column each, a record a line.
    func recordTable(_ records: [RecordSnapshot], as kind: ImportableType) -> CSVWriter {
        var writer = CSVWriter()
        let fields = kind.type.fields
        writer.append(fields.map { headers == .chinese ? kind.chineseHeader($0.name) : $0.name })
        for record in records {
            writer.append(fields.map { cell(record[$0.name], field: $0, of: kind) })
        }
        return writer
    }

    /// A value as its cell: choice values in Chinese words (with Chinese headers), phone numbers
    /// and formula-like text protected, numbers as digits, no value as an empty cell.
    func cell(_ value: FieldValue, field: FieldSpec, of kind: ImportableType) -> String {
        guard case .text(let text) = value else { return value.description }
        switch field.kind {
        case .choice: return headers == .chinese ? kind.chineseWord(text, field: field.name) : text
        case .phone: return CSVWriter.protectedCell(text, isPhone: true)
        default: return CSVWriter.protectedCell(text)
        }
    }
}
