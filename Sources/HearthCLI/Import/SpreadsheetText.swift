import Foundation

/// Cell text as spreadsheets write it, turned into what the record declarations accept.
///
/// Chinese Excel and WPS write dates as `2025/3/8` or `2025年3月8日` and times as `2025/3/8 9:30`;
/// `hearth export` writes phone numbers and formula-like text as `="…"` so that Excel keeps them as
/// text (see `CSVWriter.protectedCell`). These functions undo all of that before a value is parsed.
public enum SpreadsheetText {
    /// The text inside a cell written as `="…"` (with `""` for a quote), else the cell as it is.
    public static func unwrappingFormulaText(_ cell: String) -> String {
        guard cell.hasPrefix("=\""), cell.hasSuffix("\""), cell.count >= 3 else { return cell }
        let inner = cell.dropFirst(2).dropLast()
        // Every quote inside must be doubled; otherwise it is a real formula, left for the parser to refuse.
        let unescaped = inner.replacingOccurrences(of: "\"\"", with: "")
        guard !unescaped.contains("\"") else { return cell }
        return inner.replacingOccurrences(of: "\"\"", with: "\"")
    }

    /// The digits of a phone number: how phone numbers are compared ("138 0000 0000" = "13800000000").
    public static func phoneDigits(_ phone: String) -> String {
        String(phone.unicodeScalars.filter { ("0"..."9").contains($0) })
    }

    /// `yyyy-MM-dd` for a year, month and day separated by `/`, `.`, `-` or 年月日; nil otherwise.
    public static func isoDate(_ text: String) -> String? {
        var parts: [String] = [""]
        for scalar in text.unicodeScalars {
            switch scalar {
            case "0"..."9": parts[parts.count - 1].unicodeScalars.append(scalar)
            case "/", ".", "-", "年", "月": parts.append("")
            case "日" where parts.count == 3: parts.append("")
            default: return nil
            }
        }
        if parts.count == 4, parts[3].isEmpty { parts.removeLast() }
        guard parts.count == 3, parts[0].utf8.count == 4, (1...2).contains(parts[1].utf8.count),
            (1...2).contains(parts[2].utf8.count)
        else { return nil }
        return "\(parts[0])-\(pad(parts[1]))-\(pad(parts[2]))"
    }

    /// `yyyy-MM-ddTHH:mm[:ss]` for a spreadsheet date followed by a time `H:mm[:ss]` (after a space
    /// or `T`), or `yyyy-MM-dd` for a date alone; nil when `text` is neither.
    public static func isoTimestamp(_ text: String) -> String? {
        let pieces = text.split(whereSeparator: { $0 == " " || $0 == "T" }).map(String.init)
        guard let first = pieces.first, let date = isoDate(first) else { return nil }
        switch pieces.count {
        case 1:
            return date
        case 2:
            let time = pieces[1].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard (2...3).contains(time.count),
                time.allSatisfy({ (1...2).contains($0.utf8.count) && $0.allSatisfy(\.isASCII) && Int($0) != nil })
            else { return nil }
            return date + "T" + time.map(pad).joined(separator: ":")
        default:
            return nil
        }
    }

    private static func pad(_ part: String) -> String {
        part.utf8.count == 1 ? "0" + part : part
    }
}
