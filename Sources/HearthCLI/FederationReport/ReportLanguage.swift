public import Foundation

/// The language a report speaks: Chinese headings, labels and numbers (`万` for large amounts of
/// money), or English.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case zh
    case en

    /// Chinese when `LANG`, `LC_ALL` or `LC_MESSAGES` names a Chinese locale (`zh_CN.UTF-8`), else English.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> ReportLanguage
    {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[key], !value.isEmpty else { continue }
            return value.lowercased().hasPrefix("zh") ? .zh : .en
        }
        return .en
    }

    /// A count with thousands separators: `20,314`.
    public func count(_ value: Int) -> String {
        Self.grouped(String(value.magnitude), negative: value < 0)
    }

    /// An amount of money, exact: `¥1,523,460.00` in English; `152.346万元` from 10,000 yuan up in
    /// Chinese (as many decimals of 万 as it takes, never rounded), else `985.50元`.
    public func money(fen: Int64) -> String {
        let yuanText = Yuan.text(fen: fen)
        switch self {
        case .en:
            let parts = yuanText.split(separator: ".")
            return "¥" + Self.grouped(String(parts[0]), negative: false) + "." + parts[1]
        case .zh:
            guard fen >= 1_000_000 else { return yuanText + "元" }
            // 1 万 = 10,000 yuan = 1,000,000 fen: six decimal places of 万 are exact to the fen.
            let whole = fen / 1_000_000
            var fraction = String(fen % 1_000_000)
            fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            return Self.grouped(String(whole), negative: false) + (fraction.isEmpty ? "" : "." + fraction) + "万元"
        }
    }

    /// A month key `2024-01` as a label: `2024年1月` or `Jan 2024`.
    public func month(_ key: String) -> String {
        let parts = key.split(separator: "-")
        guard parts.count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return key }
        switch self {
        case .zh: return "\(parts[0])年\(month)月"
        case .en:
            let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return "\(names[month - 1]) \(parts[0])"
        }
    }

    static func grouped(_ digits: String, negative: Bool) -> String {
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (negative ? "-" : "") + out
    }
}
