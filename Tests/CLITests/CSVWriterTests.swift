import Foundation
import HearthCLI
import Testing

/// Writing CSV for Excel and WPS, and reading it back with `CSVReader`.
@Suite struct CSVWriterTests {
    func written(_ records: [[String]]) -> [UInt8] {
        var writer = CSVWriter()
        for record in records { writer.append(record) }
        return writer.bytes
    }

    @Test func aFileStartsWithABOMAndEndsEveryRecordWithCRLF() {
        let bytes = written([["姓名", "电话"], ["张伟", "138 0000 0001"]])
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self) == "姓名,电话\r\n张伟,138 0000 0001\r\n")
    }

    @Test(arguments: [
        ("粤海建筑公司, 二分公司", "\"粤海建筑公司, 二分公司\""),
        ("说\"周末\"可联系", "\"说\"\"周末\"\"可联系\""),
        ("第一行\n第二行", "\"第一行\n第二行\""),
        ("第一行\r\n第二行", "\"第一行\r\n第二行\""),
        ("夜班", "夜班"),
        ("", ""),
    ])
    func fieldsAreQuotedOnlyWhenTheyMustBe(text: String, field: String) {
        #expect(CSVWriter.field(text) == field)
    }

    @Test func whatIsWrittenReadsBackAsTheSameFieldsAndRows() throws {
        let records = [
            ["姓名", "单位", "备注"],
            ["欧阳娜娜", "粤海建筑公司, 二分公司", "第一行\r\n第二行, \"夜班\""],
            ["张伟", "", "a\nb\nc"],
            ["李娜", "\"引号\"", ""],
        ]
        let text = try TextDecoding.decode(Data(written(records)), source: "x.csv")
        #expect(text.encoding == .utf8WithBOM)
        let read = try CSVReader(source: "x.csv").records(in: text.text)
        #expect(read.map(\.fields) == records)
        #expect(read.map(\.row) == [1, 2, 3, 4])
        #expect(read.map(\.line) == [1, 2, 4, 7])
        #expect(read.map(\.place) == ["row 1", "row 2", "row 3 (line 4)", "row 4 (line 7)"])
    }

    @Test(arguments: [
        ("13800000001", true, "=\"13800000001\""),
        ("+86 139 0000 0002", true, "=\"+86 139 0000 0002\""),
        ("138 0000 0001", true, "138 0000 0001"),
        ("=1+1", false, "=\"=1+1\""),
        ("-夜班", false, "=\"-夜班\""),
        ("@所有人 \"注意\"", false, "=\"@所有人 \"\"注意\"\"\""),
        ("13800000001", false, "13800000001"),
        ("夜班", false, "夜班"),
    ])
    func phoneNumbersAndFormulaLikeTextAreKeptAsText(text: String, isPhone: Bool, cell: String) {
        #expect(CSVWriter.protectedCell(text, isPhone: isPhone) == cell)
        #expect(SpreadsheetText.unwrappingFormulaText(cell) == text)
    }

    @Test func onlyAWholeQuotedFormulaIsUnwrapped() {
        #expect(SpreadsheetText.unwrappingFormulaText("=\"a\"&\"b\"") == "=\"a\"&\"b\"")
        #expect(SpreadsheetText.unwrappingFormulaText("=SUM(A1)") == "=SUM(A1)")
        #expect(SpreadsheetText.unwrappingFormulaText("=\"\"") == "")
    }

    @Test(arguments: [
        ("2026/3/8 9:30", "2026-03-08T09:30"), ("2026-03-08 09:30:05", "2026-03-08T09:30:05"),
        ("2026年3月8日", "2026-03-08"), ("2026.3.8", "2026-03-08"), ("2026-03-08T09:30", "2026-03-08T09:30"),
    ])
    func spreadsheetTimesBecomeISOTimes(text: String, iso: String) {
        #expect(SpreadsheetText.isoTimestamp(text) == iso)
    }

    @Test(arguments: ["明天", "2026/3/8 9", "2026/3/8 9:30 PM", "2026-03-08T09:30+08:00"])
    func otherTimesAreLeftForTheParser(text: String) {
        #expect(SpreadsheetText.isoTimestamp(text) == nil)
    }
}
