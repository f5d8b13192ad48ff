import Foundation
import HearthCLI
import SyncCore
import Testing

/// Mapping, normalising and checking a member file, with no replica involved.
@Suite struct MemberImportTests {
    func prepare(_ text: String, ignoreUnknown: Bool = false) throws -> RecordImport {
        try RecordImport.prepare(
            data: Data(text.utf8), source: "members.csv", as: .member, ignoreUnknown: ignoreUnknown)
    }

    /// The refusal message for `text`, or a failed expectation when it is accepted.
    func refusal(_ text: String, ignoreUnknown: Bool = false, sourceLocation: SourceLocation = #_sourceLocation)
        -> String
    {
        let error = #expect(throws: (any Error).self, sourceLocation: sourceLocation) {
            try prepare(text, ignoreUnknown: ignoreUnknown)
        }
        return error.map { "\($0)" } ?? ""
    }

    @Test func chineseHeadersMapToMemberFields() throws {
        let file = try prepare(
            """
            姓名,性别,手机号,工作单位,所属中心,户籍,入会时间,技能证书,备注
            张伟,男,138 0013 8000,粤海建筑公司,沙头服务中心,外地,2025-03-08,塔吊司机证,夜班
            """)
        #expect(
            file.columns.mapped.map(\.field) == [
                "name", "gender", "phone", "employer", "center", "residency", "joinedOn", "skills", "notes",
            ])
        #expect(
            file.values == [
                [
                    "name": .text("张伟"), "gender": .text("男"), "phone": .text("138 0013 8000"),
                    "employer": .text("粤海建筑公司"), "center": .text("沙头服务中心"), "residency": .text("nonlocal"),
                    "joinedOn": .text("2025-03-08"), "skills": .text("塔吊司机证"), "notes": .text("夜班"),
                ]
            ])
    }

    @Test(arguments: [
        ("电话", "phone"), ("手机", "phone"), ("联系电话", "phone"), ("单位", "employer"), ("企业", "employer"),
        ("服务中心", "center"), ("中心", "center"), ("入会日期", "joinedOn"), ("技能", "skills"), ("证书", "skills"),
        ("Phone", "phone"), ("JOINEDON", "joinedOn"), ("joined_on", "joinedOn"), ("姓名*", "name"), (" 备注 ", "notes"),
    ])
    func headerAliases(header: String, field: String) throws {
        let file = try prepare(field == "name" ? "\(header)\n张三\n" : "name,\(header)\n张三,\n")
        #expect(file.columns.mapped.map(\.field) == (field == "name" ? [field] : ["name", field]))
    }

    @Test(arguments: [
        ("本地", "local"), ("外地", "nonlocal"), ("非本地", "nonlocal"), ("新市民", "nonlocal"),
        ("Local", "local"), ("nonlocal", "nonlocal"),
    ])
    func residencyWords(word: String, value: String) throws {
        #expect(try prepare("姓名,户籍\n张三,\(word)\n").values == [["name": .text("张三"), "residency": .text(value)]])
    }

    @Test(arguments: ["2025/3/8", "2025-03-08", "2025.3.8", "2025年3月8日", "2025-3-8"])
    func spreadsheetDatesBecomeISODates(text: String) throws {
        #expect(try prepare("姓名,入会日期\n张三,\(text)\n").values.first?["joinedOn"] == .text("2025-03-08"))
    }

    @Test func lineBreaksInsideCellsBecomeLF() throws {
        let file = try prepare("姓名,备注\r\n张三,\"夜班\r\n周末\rA\"\r\n")
        #expect(file.values.first?["notes"] == .text("夜班\n周末\nA"))
    }

    @Test func emptyCellsAreLeftOut() throws {
        #expect(try prepare("姓名,电话,备注\n张三,,\n李四\n").values == [["name": .text("张三")], ["name": .text("李四")]])
    }

    @Test func unknownColumnsAreRefusedByName() {
        let message = refusal("姓名,身份证号,工号\n张三,x,y\n")
        #expect(message.contains("unknown columns '身份证号', '工号'"))
        #expect(message.contains("--ignore-unknown"))
    }

    @Test func ignoreUnknownSkipsThem() throws {
        let file = try prepare("姓名,身份证号,电话\n张三,x,123\n", ignoreUnknown: true)
        #expect(file.columns.ignored == ["'身份证号'"])
        #expect(file.values == [["name": .text("张三"), "phone": .text("123")]])
    }

    @Test func emptyTrailingColumnsAreSkippedQuietly() throws {
        #expect(try prepare("姓名,电话,,\n张三,123,,\n").values.count == 1)
        #expect(refusal("姓名,电话,\n张三,123,x\n").contains("column 3 (no header, but it holds data)"))
    }

    @Test func aNameColumnIsRequired() {
        #expect(refusal("电话,户籍\n123,本地\n").contains("no name column; the header must have one (name or 姓名"))
    }

    @Test func twoColumnsForOneFieldAreRefused() {
        #expect(refusal("姓名,电话,手机\n张三,1,2\n").contains("columns '电话' and '手机' all give the phone field"))
    }

    @Test func aFileWithoutAHeaderIsRefusedWithoutQuotingItsData() {
        let message = refusal("张三,13800138000,外地\n李四,13900139000,本地\n")
        #expect(message.contains("the first row is not a header"))
        #expect(!message.contains("张三") && !message.contains("13800138000"))
    }

    @Test func anEmptyFileIsRefused() {
        #expect(refusal("\n\n").contains("members.csv is empty"))
    }

    @Test func everyBadRowIsReportedByRowAndColumnWithoutItsValues() {
        let message = refusal(
            """
            姓名,手机,户籍,入会日期
            张三,138 0013 8000,本地,2025-03-08
            李四,1380013800O,外地,2025-03-08

            ,13900139000,本地,
            王五,13700137000,火星,2025-02-30
            赵六,123,本地,2025-01-01,多余
            """)
        #expect(message.contains("members.csv: 4 of 5 rows have problems; nothing was imported"))
        #expect(message.contains("row 3, column '手机': phone must be a phone number"))
        #expect(message.contains("row 5, column '姓名': name must not be empty"))
        #expect(message.contains("row 6, column '户籍': residency must be one of local, nonlocal"))
        #expect(message.contains("row 6, column '入会日期': joinedOn must be a date"))
        #expect(message.contains("row 7: has 5 cells but the header has 4 columns"))
        for personal in ["张三", "李四", "王五", "赵六", "1380013800O", "13900139000", "13700137000"] {
            #expect(!message.contains(personal), "the refusal quotes \(personal)")
        }
    }

    @Test func manyBadRowsAreListedUpToALimit() {
        let rows = (1...30).map { _ in "x,abc" }.joined(separator: "\n")
        let message = refusal("姓名,电话\n" + rows)
        #expect(message.contains("30 of 30 rows have problems"))
        #expect(message.contains("… and 10 more"))
    }

    @Test func aGBKFileWithChineseHeadersIsPrepared() throws {
        let text = "姓名,性别,手机,户籍,所属中心,入会日期,技能证书\r\n欧阳秀英,女,138 0000 0000,外地,沙头服务中心,2025/3/8,焊工\r\n"
        let file = try RecordImport.prepare(data: Data(GBKBytes.encode(text)), source: "gbk.csv", as: .member)
        #expect(file.encoding == .gb18030)
        #expect(
            file.values == [
                [
                    "name": .text("欧阳秀英"), "gender": .text("女"), "phone": .text("138 0000 0000"),
                    "residency": .text("nonlocal"), "center": .text("沙头服务中心"), "joinedOn": .text("2025-03-08"),
                    "skills": .text("焊工"),
                ]
            ])
    }
}

extension RecordImport {
    /// The checked values of every row, in file order.
    var values: [[String: FieldValue]] { rows.map(\.values) }
}
