import Foundation
public import Replica
import SyncCore

extension SpreadsheetExport {
    /// The attendance table's columns: Chinese header, English header.
    static let attendanceColumns: [(chinese: String, english: String)] = [
        ("活动", "activity"), ("开始时间", "startsAt"), ("服务中心", "center"), ("姓名", "name"), ("电话", "phone"),
        ("单位", "employer"), ("报名时间", "registeredAt"), ("签到时间", "checkedInAt"), ("状态", "status"),
    ]

    /// Participation statuses as the Chinese table writes them.
    static let statusWords = ["registered": "已报名", "attended": "已签到", "cancelled": "已取消"]

    /// One line per live participation in the filtered activities, by activity, then member name.
    ///
    /// "Registered at" is when the registration was written, by the clock of the node that wrote
    /// it, in this computer's time zone; a member deleted since leaves the member cells empty.
    func attendanceTable(_ reader: ReplicaReader) throws -> CSVWriter {
        var writer = CSVWriter()
        writer.append(Self.attendanceColumns.map { headers == .chinese ? $0.chinese : $0.english })
        let participation = HearthSchema.participation
        let members = Dictionary(
            try reader.list(HearthSchema.member).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for activity in try activities(reader) {
            let entries = try reader.list(participation, equal: ["activityId": .text(activity.id)])
                .map { (entry: $0, member: members[$0["memberId"].description]) }
                .sorted {
                    ($0.member?["name"].description ?? "", $0.entry.id) < (
                        $1.member?["name"].description ?? "", $1.entry.id
                    )
                }
            for (entry, member) in entries {
                let state = try reader.record(participation, id: entry.id)
                let status = entry["status"].description
                writer.append([
                    CSVWriter.protectedCell(activity["title"].description), activity["startsAt"].description,
                    CSVWriter.protectedCell(activity["center"].description),
                    CSVWriter.protectedCell(member?["name"].description ?? ""),
                    CSVWriter.protectedCell(member?["phone"].description ?? "", isPhone: true),
                    CSVWriter.protectedCell(member?["employer"].description ?? ""),
                    (state?.fields["activityId"]?.shown.wallTime).map(Self.localTime) ?? "",
                    entry["checkedInAt"].description,
                    headers == .chinese ? Self.statusWords[status] ?? status : status,
                ])
            }
        }
        return writer
    }

    /// Milliseconds since 1970 as local ISO 8601 time to the second.
    static func localTime(_ milliseconds: Int64) -> String {
        LocalTimestamp.string(for: Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000))
    }
}
