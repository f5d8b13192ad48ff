/// Labelled lines (`label   value`) with the values aligned, for `show` and `status` output.
///
/// Labels are padded by terminal columns, so Chinese labels align too. A value that spans several
/// lines (notes, descriptions) continues under the first value column.
public struct KeyValueList: Sendable {
    public private(set) var entries: [(label: String, value: String)] = []

    public init() {}

    public mutating func append(_ label: String, _ value: String) {
        entries.append((label, value))
    }

    public func render() -> String {
        let labelWidth = entries.map { DisplayWidth.of($0.label) }.max() ?? 0
        let indent = String(repeating: " ", count: labelWidth + 2)
        return entries.map { entry in
            let padding = String(repeating: " ", count: labelWidth + 2 - DisplayWidth.of(entry.label))
            let valueLines = entry.value.split(separator: "\n", omittingEmptySubsequences: false).map {
                TextTable.singleLine(String($0))
            }
            let first = entry.label + padding + (valueLines.first ?? "")
            let rest = valueLines.dropFirst().map { indent + $0 }
            return ([first] + rest).map(TextTable.trimmingTrailingSpaces).joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
