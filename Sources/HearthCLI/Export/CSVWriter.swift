import Foundation

/// Writes comma-separated values as RFC 4180 describes them, for Excel and WPS to open intact.
///
/// The bytes start with a UTF-8 byte-order mark (without one, Chinese Excel reads the file as
/// GBK and garbles every Chinese character) and every record ends with CRLF. A field holding a
/// comma, a quote, CR or LF, or starting or ending with white space, is quoted, with its quotes
/// doubled. `CSVReader` reads every file this writes back to the same (trimmed) fields.
public struct CSVWriter: Sendable {
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The file so far: the byte-order mark, then one CRLF-ended line per record.
    public private(set) var bytes: [UInt8] = CSVWriter.byteOrderMark
    /// How many records were appended.
    public private(set) var recordCount = 0

    public init() {}

    /// Appends one record.
    public mutating func append(_ fields: [String]) {
        bytes += Array(fields.map(Self.field).joined(separator: ",").utf8)
        bytes += [0x0D, 0x0A]
        recordCount += 1
    }

    /// One field as written: quoted when it must be.
    public static func field(_ text: String) -> String {
        let needsQuotes =
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" })
            || text.first?.isWhitespace == true || text.last?.isWhitespace == true
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A cell Excel must keep as text, written as the formula `="…"`: phone numbers (Excel turns
    /// `13800000000` into `1.38E+10`, drops a leading 0 and reads `+86…` as a formula) and text
    /// that starts like a formula (`=`, `+`, `-`, `@`: it would be run, or shown as `#NAME?`).
    /// `SpreadsheetText.unwrappingFormulaText` takes the text back out on import. Text of more
    /// than 255 characters (a formula string's limit) is left as it is.
    public static func protectedCell(_ text: String, isPhone: Bool = false) -> String {
        guard let first = text.unicodeScalars.first, text.utf16.count <= 255 else { return text }
        let looksLikeFormula = "=+-@".unicodeScalars.contains(first)
        let excelWouldReadANumber = isPhone && !text.contains(" ")
        guard looksLikeFormula || excelWouldReadANumber else { return text }
        return "=\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
