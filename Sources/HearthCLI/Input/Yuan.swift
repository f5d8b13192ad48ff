import Foundation
public import Replica

/// Money as people type and read it, in yuan with at most two decimals, held exactly as whole fen.
///
/// Parsing never goes through floating point: `1520000.50` is 152,000,050 fen, exactly.
public enum Yuan {
    /// Whole fen from text such as `300`, `1520000.5` or `1,520,000.50`; nil when it is not an
    /// amount of at least zero with at most two decimals (or too large for 64 bits).
    public static func fen(parsing text: String) -> Int64? {
        let trimmed = text.trimmingWhitespaceAndNewlines().replacingOccurrences(of: ",", with: "")
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty,
            whole.utf8.allSatisfy({ (0x30...0x39).contains($0) })
        else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= 2, fraction.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            parts.count == 1 || !fraction.isEmpty
        else { return nil }
        fraction += String(repeating: "0", count: 2 - fraction.count)
        guard let yuan = Int64(whole), let cents = Int64(fraction) else { return nil }
        let (scaled, overflow) = yuan.multipliedReportingOverflow(by: 100)
        guard !overflow else { return nil }
        let (total, overflowSum) = scaled.addingReportingOverflow(cents)
        return overflowSum ? nil : total
    }

    /// `152000050` → `1520000.50`: yuan with exactly two decimals.
    public static func text(fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// The given `--option` as text for `FieldInput.Given`: an amount in yuan becomes whole fen as
    /// decimal digits (which the integer field then parses exactly), `""` clears the field, nil
    /// (option left out) stays nil.
    public static func fenText(_ text: String?, option: String) throws(ReplicaError) -> String? {
        guard let text else { return nil }
        if text.trimmingWhitespaceAndNewlines().isEmpty { return "" }
        guard let fen = fen(parsing: text) else {
            throw ReplicaError(
                .invalidInput,
                "--\(option) must be an amount in yuan with at most two decimals, like 1520000 or 1520000.50")
        }
        return String(fen)
    }
}
