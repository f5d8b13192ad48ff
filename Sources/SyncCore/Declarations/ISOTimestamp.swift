/// An ISO 8601 date or date-time as people type it, normalised and comparable.
///
/// Accepts `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `YYYY-MM-DDTHH:MM:SS` (a space may stand for `T`),
/// optionally followed by `Z` or an offset `±HH:MM`. Times without an offset are local to the
/// center and compared as written.
public struct ISOTimestamp: Sendable, Hashable, Comparable {
    public let text: String
    public let isDateOnly: Bool
    /// Seconds since 1970 treating an offset-less time as UTC: used for ordering only.
    public let sortKey: Int64

    public init?(parsing input: String) {
        let chars = Array(input.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= chars.count else { return nil }
            var value = 0
            for i in range {
                guard chars[i] >= 48, chars[i] <= 57 else { return nil }
                value = value * 10 + Int(chars[i] - 48)
            }
            return value
        }
        guard chars.count >= 10, let year = number(0..<4), chars[4] == 45, let month = number(5..<7),
            chars[7] == 45, let day = number(8..<10), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var offsetSeconds = 0
        var suffix = ""
        var index = 10
        if chars.count > 10 {
            guard chars[10] == 84 || chars[10] == 32 || chars[10] == 116, let h = number(11..<13),
                chars.count > 13, chars[13] == 58, let m = number(14..<16), h < 24, m < 60
            else { return nil }
            hour = h
            minute = m
            index = 16
            if chars.count > 16, chars[16] == 58 {
                guard let s = number(17..<19), s < 60 else { return nil }
                second = s
                index = 19
            }
            if index < chars.count {
                let rest = String(decoding: chars[index...], as: UTF8.self)
                if rest == "Z" || rest == "z" {
                    suffix = "Z"
                } else if rest.utf8.count == 6, let sign = rest.first, sign == "+" || sign == "-",
                    rest.utf8.dropFirst().enumerated().allSatisfy({ $0.offset == 2 || (48...57).contains($0.element) }),
                    let oh = Int(rest.dropFirst().prefix(2)), rest.dropFirst(3).first == ":",
                    let om = Int(rest.suffix(2)), oh < 24, om < 60
                {
                    offsetSeconds = (sign == "+" ? 1 : -1) * (oh * 3600 + om * 60)
                    suffix = rest
                } else {
                    return nil
                }
            }
        }
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        sortKey = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        isDateOnly = chars.count == 10
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let date = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        if isDateOnly {
            text = date
        } else {
            text = date + "T\(pad(hour, 2)):\(pad(minute, 2))" + (index >= 19 ? ":\(pad(second, 2))" : "") + suffix
        }
    }

    /// True when `text` is a date in its canonical spelling (`2026-01-28`): exactly the texts
    /// that `init(parsing:)` reads as date-only and spells back unchanged, checked without
    /// building the timestamp (a date field is checked on every write).
    public static func isCanonicalDate(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { chars in
            guard chars.count == 10, chars[4] == 45, chars[7] == 45 else { return false }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for i in range {
                    guard chars[i] >= 48, chars[i] <= 57 else { return nil }
                    value = value * 10 + Int(chars[i] - 48)
                }
                return value
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
                (1...12).contains(month)
            else { return false }
            return (1...Self.daysIn(month: month, year: year)).contains(day)
        }
    }

    public static func < (lhs: ISOTimestamp, rhs: ISOTimestamp) -> Bool { lhs.sortKey < rhs.sortKey }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
