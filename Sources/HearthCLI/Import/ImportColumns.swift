public import Replica
public import SyncCore

/// Which column of an import file holds which field of a record type, read from its header row.
///
/// A header names a field by its declared name (`joinedOn`) or by an alias (`入会日期`); case,
/// spaces, `_`, `-` and a required-field marker `*` do not matter. A column with an empty header
/// and no data (spreadsheets leave such columns behind) is skipped quietly.
public struct ImportColumns: Sendable, Hashable {
    /// One mapped column: its position (0-based), its header as written, the field it fills.
    public struct Column: Sendable, Hashable {
        public var index: Int
        public var header: String
        public var field: String
    }

    /// The columns that fill fields, in file order.
    public var mapped: [Column]
    /// Headers of the columns skipped because `ignoreUnknown` was given, as they are shown to people.
    public var ignored: [String]
    /// How many columns the header row has.
    public var width: Int

    /// Maps `header` onto `type`'s fields through `aliases` (field name → other headers for it,
    /// the usual one first).
    ///
    /// Refuses (`.invalidInput`) unknown columns unless `ignoreUnknown`, two columns for one field,
    /// and a missing column for any required field. Cell text of the first row is quoted only when
    /// it looks like a header (it never quotes a row that is really data: names, phone numbers).
    public static func map(
        header: CSVReader.Record, data: [CSVReader.Record], type: RecordType, aliases: [String: [String]],
        ignoreUnknown: Bool, source: String
    ) throws(ReplicaError) -> ImportColumns {
        var lookup: [String: String] = [:]
        for spec in type.fields { lookup[key(spec.name)] = spec.name }
        for (field, headers) in aliases {
            for alias in headers { lookup[key(alias)] = field }
        }

        var mapped: [Column] = []
        var unknown: [(index: Int, header: String)] = []
        for (index, text) in header.fields.enumerated() {
            if let field = lookup[key(text)] {
                mapped.append(Column(index: index, header: text, field: field))
            } else if !text.isEmpty || data.contains(where: { index < $0.fields.count && !$0.fields[index].isEmpty }) {
                unknown.append((index, text))
            }
        }
        let known = fieldList(type, aliases: aliases)
        guard !mapped.isEmpty else {
            throw ReplicaError(
                .invalidInput,
                "\(source): the first row is not a header: none of its cells names a \(type.name) field; "
                    + "add a header row with column names such as \(known)")
        }
        let shown = unknown.map { display($0.header, index: $0.index) }
        if !unknown.isEmpty, !ignoreUnknown {
            throw ReplicaError(
                .invalidInput,
                "\(source): unknown column\(unknown.count == 1 ? "" : "s") \(shown.joined(separator: ", ")); "
                    + "rename \(unknown.count == 1 ? "it" : "them") to \(type.name) fields (\(known)), "
                    + "or pass --ignore-unknown to skip \(unknown.count == 1 ? "it" : "them")")
        }
        for field in Set(mapped.map(\.field)) {
            let columns = mapped.filter { $0.field == field }
            if columns.count > 1 {
                throw ReplicaError(
                    .invalidInput,
                    "\(source): columns \(columns.map { display($0.header, index: $0.index) }.joined(separator: " and ")) "
                        + "all give the \(field) field; keep only one of them")
            }
        }
        for spec in type.fields where spec.isRequired && !mapped.contains(where: { $0.field == spec.name }) {
            let names = [spec.name] + (aliases[spec.name] ?? [])
            throw ReplicaError(
                .invalidInput,
                "\(source): no \(spec.name) column; the header must have one (\(names.joined(separator: " or ")))")
        }
        return ImportColumns(mapped: mapped, ignored: ignoreUnknown ? shown : [], width: header.fields.count)
    }

    /// The form headers are compared in: lowercased, without spaces, `_`, `-` and `*` markers.
    static func key(_ header: String) -> String {
        String(
            header.lowercased().unicodeScalars.filter {
                !$0.properties.isWhitespace && !"_-*＊".unicodeScalars.contains($0)
            })
    }

    /// A header for a message: quoted, shortened, and replaced by its position when it is empty
    /// or holds many digits (then it is more likely a phone or id number than a column name).
    static func display(_ header: String, index: Int) -> String {
        let digits = header.unicodeScalars.filter { $0.properties.numericType != nil }.count
        if header.isEmpty { return "column \(index + 1) (no header, but it holds data)" }
        if digits >= 5 { return "column \(index + 1)" }
        return "'\(header.count > 20 ? header.prefix(20) + "…" : header)'"
    }

    /// "name (姓名), gender (性别), …": every field with its first alias, for hints.
    static func fieldList(_ type: RecordType, aliases: [String: [String]]) -> String {
        type.fields.map { spec in
            let alias = aliases[spec.name]?.first { $0.unicodeScalars.contains { !$0.isASCII } }
            return alias.map { "\(spec.name) (\($0))" } ?? spec.name
        }
        .joined(separator: ", ")
    }
}
