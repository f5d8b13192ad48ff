public import Replica
public import SyncCore

/// The human-readable forms of records: aligned list tables and `show` details.
public enum RecordListing {
    /// A table of records with the columns people scan for that type (all fields for a type not listed here).
    public static func table(_ records: [RecordSnapshot], type: RecordType) -> TextTable {
        let fields = listedFields(type)
        var table = TextTable(
            columns: [TextTable.Column("ID")]
                + fields.map { name in
                    let isNumber = type.field(name)?.kind.storesInteger ?? false
                    return TextTable.Column(
                        header(for: name), alignment: isNumber ? .right : .left, maxWidth: isNumber ? nil : 24)
                })
        for record in records {
            table.append([record.id] + fields.map { shown(record, $0) })
        }
        return table
    }

    /// Every declared field of one record, one per line, labelled with its field name.
    public static func detail(_ record: RecordSnapshot) -> String {
        var list = KeyValueList()
        list.append("id", record.id)
        for spec in record.type.fields {
            let label = spec.name.hasSuffix("Fen") ? spec.name.dropLast(3) + " (yuan)" : spec.name
            list.append(label, shown(record, spec.name))
        }
        return list.render()
    }

    /// What `list` prints when nothing matches.
    public static func emptyMessage(_ type: RecordType, filtered: Bool) -> String {
        filtered
            ? "no \(type.name) records match"
            : "no \(type.name) records yet; add one with `hearth \(type.name) add`"
    }

    static func listedFields(_ type: RecordType) -> [String] {
        switch type.name {
        case HearthSchema.member.name: ["name", "gender", "phone", "employer", "center", "residency", "joinedOn"]
        case HearthSchema.activity.name: ["title", "kind", "center", "startsAt", "endsAt", "capacity"]
        case HearthSchema.assistanceCase.name:
            ["kind", "status", "openedOn", "closedOn", "enterprise", "center", "workers", "amountFen"]
        default: type.fields.map(\.name)
        }
    }

    /// A field's value as people read it: amounts in fen (`…Fen` fields) as yuan with two decimals.
    static func shown(_ record: RecordSnapshot, _ field: String) -> String {
        if field.hasSuffix("Fen"), case .integer(let fen) = record[field] { return Yuan.text(fen: fen) }
        return record[field].description
    }

    /// `startsAt` → `STARTS AT`; `amountFen` → `AMOUNT (YUAN)`.
    static func header(for field: String) -> String {
        if field.hasSuffix("Fen") { return header(for: String(field.dropLast(3))) + " (YUAN)" }
        var words: [String] = []
        var current = ""
        for character in field {
            if character.isUppercase, !current.isEmpty {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        words.append(current)
        return words.joined(separator: " ").uppercased()
    }
}
