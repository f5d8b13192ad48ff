import Foundation
import HearthCLI
import Testing

@Suite struct CSVReaderTests {
    let reader = CSVReader(source: "members.csv")

    func fields(_ text: String) throws -> [[String]] {
        try reader.records(in: text).map(\.fields)
    }

    @Test func plainFieldsAreSplitOnCommasAndTrimmed() throws {
        #expect(try fields("name,phone\n 张三 , 138 0000 0000 \n") == [["name", "phone"], ["张三", "138 0000 0000"]])
    }

    @Test func quotedFieldsKeepCommasNewlinesAndDoubledQuotes() throws {
        let text = "name,notes\r\n\"欧阳, 娜娜\",\"第一行\r\n第二行, \"\"夜班\"\"\"\r\n"
        #expect(try fields(text) == [["name", "notes"], ["欧阳, 娜娜", "第一行\r\n第二行, \"夜班\""]])
    }

    @Test func crlfLfAndLoneCrAllEndRecords() throws {
        #expect(try fields("a,b\r\nc,d\ne,f\rg,h") == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]])
    }

    @Test func emptyQuotedAndTrailingEmptyFieldsAreKept() throws {
        #expect(try fields("a,\"\",c,\n") == [["a", "", "c", ""]])
    }

    @Test func spacesAroundQuotesAreAllowed() throws {
        #expect(try fields("a,  \"b, c\"  ,d") == [["a", "b, c", "d"]])
    }

    @Test func aQuoteInsideAnUnquotedFieldIsKept() throws {
        #expect(try fields("5\" 屏幕,x") == [["5\" 屏幕", "x"]])
    }

    @Test func fullWidthSpacesAreTrimmed() throws {
        #expect(try fields("\u{3000}张三\u{3000},\t李四 ") == [["张三", "李四"]])
    }

    @Test func blankLinesAndEmptyRowsAreSkippedButCountedAsRows() throws {
        let records = try reader.records(in: "name,phone\n\n,,\n   \n张三,123\n\"\"\n李四,456\n\n")
        #expect(records.map(\.fields) == [["name", "phone"], ["张三", "123"], ["李四", "456"]])
        #expect(records.map(\.row) == [1, 5, 7])
    }

    @Test func aRecordSpanningLinesIsOneRow() throws {
        let records = try reader.records(in: "name,notes\n张三,\"a\nb\nc\"\n李四,d\n")
        #expect(records.map(\.row) == [1, 2, 3])
    }

    @Test func emptyTextHasNoRecords() throws {
        #expect(try fields("").isEmpty)
        #expect(try fields("\n\r\n").isEmpty)
    }

    @Test func anUnclosedQuoteIsRefusedWithItsRow() throws {
        let error = #expect(throws: (any Error).self) { try reader.records(in: "name\n张三\n\"李四,\n王五\n") }
        let message = "\(error.map { "\($0)" } ?? "")"
        #expect(message.contains("row 3, column 1"))
        #expect(message.contains("never closed"))
        #expect(!message.contains("李四"))
    }

    @Test func textAfterAClosingQuoteIsRefused() throws {
        let error = #expect(throws: (any Error).self) { try reader.records(in: "a,\"b\"c,d\n") }
        #expect("\(error.map { "\($0)" } ?? "")".contains("row 1, column 2 has text after its closing quote"))
    }
}

extension CSVReaderTests {
    @Test func recordsKnowTheirPhysicalLineBesideTheirRow() throws {
        let text = "姓名,备注\r\n张伟,\"夜班\r\n周末\"\r\n\r\n李娜,\"a\nb\rc\"\n王芳,x\n"
        let records = try reader.records(in: text)
        #expect(records.map(\.row) == [1, 2, 4, 5])
        #expect(records.map(\.line) == [1, 2, 5, 8])
        #expect(records.map(\.place) == ["row 1", "row 2", "row 4 (line 5)", "row 5 (line 8)"])
    }

    @Test func aRefusalAfterAQuotedLineBreakNamesRowAndLine() throws {
        let error = #expect(throws: (any Error).self) { try reader.records(in: "a,b\n\"x\ny\",z\n\"p\"q,r\n") }
        #expect("\(error.map { "\($0)" } ?? "")".contains("row 3 (line 4), column 1 has text after its closing quote"))
    }
}
