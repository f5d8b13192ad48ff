import Foundation

/// How figures and targets print in the table.
enum FigureFormat {
    static func value(_ value: Double, unit: Figure.Unit) -> String {
        switch unit {
        case .ratio: String(format: "%.2f×", value)
        case .milliseconds: value < 10 ? String(format: "%.2f ms", value) : String(format: "%.1f ms", value)
        case .seconds: String(format: "%.2f s", value)
        case .perSecond: NumberText.grouped(Int(value.rounded())) + "/s"
        case .megabytes: String(format: "%.1f MB", value)
        case .bytes: String(format: "%.1f B", value)
        case .count: NumberText.grouped(Int(value.rounded()))
        case .yesNo: value >= 1 ? "yes" : "no"
        }
    }

    static func target(_ target: Target, unit: Figure.Unit) -> String {
        if unit == .yesNo { return "yes" }
        let sign = target.comparison == .atMost ? "≤" : "≥"
        let number: String
        switch unit {
        case .ratio: number = String(format: "%.1f×", target.value)
        case .perSecond: number = NumberText.grouped(Int(target.value)) + "/s"
        case .milliseconds: number = String(format: "%g ms", target.value)
        case .seconds: number = String(format: "%g s", target.value)
        case .megabytes: number = String(format: "%g MB", target.value)
        case .bytes: number = String(format: "%g B", target.value)
        case .count: number = NumberText.grouped(Int(target.value))
        case .yesNo: number = "yes"
        }
        return "\(sign) \(number)"
    }
}

/// Whole numbers with thousands separators, as the issue writes them (100,000).
enum NumberText {
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return number < 0 ? "-" + result : result
    }
}
