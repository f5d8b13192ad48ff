public import Replica
import SyncCore

extension Attendance {
    /// `hearth attendance --json`: the activity, the counts, the capacity flag and every participant.
    public var json: JSONValue {
        .object([
            "activity": activity.json,
            "capacity": capacity.map { .integer($0) } ?? .null,
            "registered": .integer(Int64(registered)),
            "attended": .integer(Int64(attended)),
            "cancelled": .integer(Int64(cancelled)),
            "overCapacity": .bool(isOverCapacity),
            "participants": .array(
                entries.map { entry in
                    .object([
                        "id": .string(entry.participationID),
                        "memberId": .string(entry.memberID),
                        "memberName": .string(orNull: entry.memberName),
                        "status": .string(entry.status),
                        "checkedInAt": .string(orNull: entry.checkedInAt),
                    ])
                }),
        ])
    }

    /// `hearth attendance`: a heading, a table of who registered and who came, then the counts.
    public var text: String {
        let title = activity["title"].description
        let when = activity["startsAt"].description
        var lines = ["\(title) (\(activity["kind"]), \(when))", ""]
        if entries.isEmpty {
            lines.append("nobody has registered yet; register members with `hearth register MEMBER ACTIVITY`")
        } else {
            var table = TextTable(
                columns: [
                    TextTable.Column("MEMBER ID"), TextTable.Column("NAME", maxWidth: 24), TextTable.Column("STATUS"),
                    TextTable.Column("CHECKED IN AT"),
                ])
            for entry in entries {
                table.append([
                    entry.memberID, entry.memberName ?? "(member not on this replica)", entry.status,
                    entry.checkedInAt ?? "",
                ])
            }
            lines.append(table.render())
        }
        lines.append("")
        let places = capacity.map { " of \($0) places" } ?? ""
        lines.append("registered \(registered)\(places), attended \(attended), cancelled \(cancelled)")
        if isOverCapacity, let capacity {
            lines.append(
                "warning: \(registered) registrations exceed the capacity of \(capacity) "
                    + "(registrations made offline on several nodes were merged); cancel some or raise the capacity")
        }
        return lines.joined(separator: "\n")
    }
}
