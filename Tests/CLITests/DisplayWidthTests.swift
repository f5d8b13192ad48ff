import HearthCLI
import Testing

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("abc", 3),
        ("张伟", 4),
        ("沙头服务中心", 12),
        ("李秀英（焊工）", 14),
        ("，。、", 6),
        ("ＡＢ", 4),
        ("Zoë", 3),
        ("e\u{301}", 1),
        ("한국", 4),
        ("ひらがな", 8),
        ("🎉", 2),
        ("·—…", 3),
        ("", 0),
    ])
    func countsTerminalColumns(text: String, columns: Int) {
        #expect(DisplayWidth.of(text) == columns)
    }

    @Test func controlCharactersTakeNoColumns() {
        #expect(DisplayWidth.of("a\u{7}b") == 2)
    }

    @Test func truncationCountsColumnsAndEndsWithAnEllipsis() {
        #expect(DisplayWidth.truncate("焊工技能比赛决赛", toWidth: 7) == "焊工技…")
        #expect(DisplayWidth.of(DisplayWidth.truncate("焊工技能比赛决赛", toWidth: 7)) == 7)
        #expect(DisplayWidth.truncate("焊工技能比赛决赛", toWidth: 8) == "焊工技…")
        #expect(DisplayWidth.truncate("short", toWidth: 8) == "short")
        #expect(DisplayWidth.truncate("张伟", toWidth: 4) == "张伟")
    }
}
