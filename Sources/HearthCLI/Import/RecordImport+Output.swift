extension RecordImport {
    /// `hearth member import`: "imported 12 members: 5 added, 3 updated, 4 unchanged".
    public func importedText(_ plan: Plan) -> String {
        "imported \(kind.counted(plan.rowCount)): \(Self.counts(plan))"
    }

    /// `hearth member import --json`: `{"imported", "added", "updated", "unchanged"}`; `imported`
    /// counts every row of the file (added, updated or unchanged).
    public func importedJSON(_ plan: Plan) -> JSONValue {
        .object([
            "imported": .integer(Int64(plan.rowCount)),
            "added": .integer(Int64(plan.additions.count)),
            "updated": .integer(Int64(plan.updates.count)),
            "unchanged": .integer(Int64(plan.unchanged)),
        ])
    }

    /// `hearth member import --dry-run`: how the file was read and what an import would do.
    public func dryRunText(_ plan: Plan) -> String {
        let mapping = columns.mapped.map { "\(ImportColumns.display($0.header, index: $0.index)) → \($0.field)" }
        var lines = [
            "\(source): read as \(encoding); every row is valid",
            "columns: " + mapping.joined(separator: ", "),
        ]
        if !columns.ignored.isEmpty { lines.append("skipped columns: " + columns.ignored.joined(separator: ", ")) }
        lines.append(
            "dry run: \(kind.counted(plan.rowCount)) would be imported: \(Self.counts(plan)); nothing was written")
        return lines.joined(separator: "\n")
    }

    /// `hearth member import --dry-run --json`: the same as an object (`imported` is 0: nothing was).
    public func dryRunJSON(_ plan: Plan) -> JSONValue {
        .object([
            "dryRun": .bool(true),
            "imported": .integer(0),
            "valid": .integer(Int64(rows.count)),
            "added": .integer(Int64(plan.additions.count)),
            "updated": .integer(Int64(plan.updates.count)),
            "unchanged": .integer(Int64(plan.unchanged)),
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

    static func counts(_ plan: Plan) -> String {
        "\(plan.additions.count) added, \(plan.updates.count) updated, \(plan.unchanged) unchanged"
    }
}
