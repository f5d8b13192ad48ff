import Foundation
import HearthCLI
import Testing

@Suite struct TextTableTests {
    /// The display column at which `cell` starts on `line`.
    func column(of cell: String, in line: String) throws -> Int {
        let range = try #require(line.range(of: cell), "'\(cell)' not on line '\(line)'")
        return DisplayWidth.of(line[..<range.lowerBound])
    }

    @Test func columnsStayAlignedWithChineseText() throws {
        var table = TextTable(headers: ["NAME", "PHONE", "CENTER"])
        table.append(["张伟", "138 0000 0001", "沙头服务中心"])
        table.append(["Li Xiuying", "139-0000-0002", "industrial park"])
        table.append(["欧阳娜娜", "+86 137 0000 0003", "体育公园"])
        let lines = table.render().split(separator: "\n").map(String.init)
        try #require(lines.count == 4)
        let phoneColumns = try zip(lines, ["PHONE", "138 0000 0001", "139-0000-0002", "+86 137 0000 0003"]).map {
            try column(of: $1, in: $0)
        }
        let centerColumns = try zip(lines, ["CENTER", "沙头服务中心", "industrial park", "体育公园"]).map {
            try column(of: $1, in: $0)
        }
        #expect(Set(phoneColumns) == [DisplayWidth.of("Li Xiuying") + 2])
        #expect(Set(centerColumns).count == 1)
    }

    @Test func noLineEndsWithSpaces() {
        var table = TextTable(headers: ["A", "LONG HEADER"])
        table.append(["张", ""])
        for line in table.render().split(separator: "\n") {
            #expect(line.last != " ")
        }
    }

    @Test func rightAlignedColumnsPadOnTheLeft() {
        var table = TextTable(columns: [TextTable.Column("TITLE"), TextTable.Column("CAP", alignment: .right)])
        table.append(["焊工比赛", "5"])
        table.append(["x", "120"])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines == ["TITLE     CAP", "焊工比赛    5", "x         120"])
    }

    @Test func lineBreaksInCellsKeepOneRowPerLine() {
        var table = TextTable(headers: ["NOTES", "X"])
        table.append(["第一行\n第二行\tend", "1"])
        let lines = table.render().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2)
        #expect(lines[1] == "第一行 第二行 end  1")
    }

    @Test func wideCellsAreCutToTheColumnsMaximum() {
        var table = TextTable(columns: [TextTable.Column("TITLE", maxWidth: 6), TextTable.Column("KIND")])
        table.append(["春节返乡服务台", "holiday"])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines == ["TITLE  KIND", "春节…  holiday"])
    }

    @Test func missingCellsAreEmpty() {
        var table = TextTable(headers: ["A", "B"])
        table.append(["only"])
        #expect(table.rows == [["only", ""]])
    }

    @Test func keyValueListAlignsValuesAndIndentsContinuationLines() {
        var list = KeyValueList()
        list.append("name", "张伟")
        list.append("notes", "会焊接\n持证")
        list.append("中心", "沙头")
        #expect(list.render() == "name   张伟\nnotes  会焊接\n       持证\n中心   沙头")
    }
}
