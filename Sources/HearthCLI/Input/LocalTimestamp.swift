public import Foundation

/// Wall-clock times as ISO 8601 text in the center's local time with its offset (`2026-01-28T09:30:05+08:00`).
///
/// Used for display values such as check-in times; never for causality.
public enum LocalTimestamp {
    /// `date` in `timeZone`, to the second, always with an explicit offset (`+00:00` rather than `Z`).
    public static func string(for date: Date, in timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offsetMinutes = timeZone.secondsFromGMT(for: date) / 60
        let sign = offsetMinutes < 0 ? "-" : "+"
        let offset = abs(offsetMinutes)
        return "\(pad(parts.year ?? 0, 4))-\(pad(parts.month ?? 0))-\(pad(parts.day ?? 0))"
            + "T\(pad(parts.hour ?? 0)):\(pad(parts.minute ?? 0)):\(pad(parts.second ?? 0))"
            + "\(sign)\(pad(offset / 60)):\(pad(offset % 60))"
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
