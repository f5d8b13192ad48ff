extension MemberImport {
    /// `hearth member import`: "imported N members".
    public static func importedText(_ count: Int) -> String {
        "imported " + counted(count)
    }

    /// "1 member", "3 members".
    static func counted(_ count: Int) -> String {
        "\(count) member\(count == 1 ? "" : "s")"
    }

    /// `hearth member import --json`: `{"imported": N}`.
    public static func importedJSON(_ count: Int) -> JSONValue {
        .object(["imported": .integer(Int64(count))])
    }

    /// `hearth member import --dry-run`: how the file was read and what an import would create.
    public var dryRunText: String {
        let mapping = columns.mapped.map { "\(ImportColumns.display($0.header, index: $0.index)) → \($0.field)" }
        var lines = [
            "\(source): read as \(encoding); every row is valid",
            "columns: " + mapping.joined(separator: ", "),
        ]
        if !columns.ignored.isEmpty { lines.append("skipped columns: " + columns.ignored.joined(separator: ", ")) }
        lines.append("dry run: \(Self.counted(members.count)) would be imported; nothing was written")
        return lines.joined(separator: "\n")
    }

    /// `hearth member import --dry-run --json`: the same as an object.
    public var dryRunJSON: JSONValue {
        .object([
            "dryRun": .bool(true),
            "imported": .integer(0),
            "valid": .integer(Int64(members.count)),
            "encoding": .string(encoding.rawValue),
            "columns": .array(
                columns.mapped.map { .object(["header": .string($0.header), "field": .string($0.field)]) }),
            "ignoredColumns": .array(columns.ignored.map { .string($0) }),
        ])
    }

    /// A note for standard error when `--ignore-unknown` skipped columns; nil when none were.
    public var skippedColumnsNote: String? {
        columns.ignored.isEmpty ? nil : "note: skipped unknown columns " + columns.ignored.joined(separator: ", ")
    }
}
