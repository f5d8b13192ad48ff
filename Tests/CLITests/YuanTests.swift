import HearthCLI
import Testing

@Suite struct YuanTests {
    @Test(
        arguments: [
            ("0", 0), ("300", 30_000), ("1520000.50", 152_000_050), ("1520000.5", 152_000_050), ("0.01", 1),
            ("1,520,000.05", 152_000_005), (" 32000000 ", 3_200_000_000),
        ] as [(String, Int64)])
    func amountsInYuanParseToExactFen(text: String, fen: Int64) {
        #expect(Yuan.fen(parsing: text) == fen)
    }

    @Test(arguments: ["", "-1", "1.234", "1.", ".5", "1e6", "一百", "12 34", "99999999999999999999", "0x10"])
    func whatIsNotAnAmountIsRefused(text: String) {
        #expect(Yuan.fen(parsing: text) == nil)
    }

    @Test func fenPrintAsYuanWithTwoDecimals() {
        #expect(Yuan.text(fen: 152_000_050) == "1520000.50")
        #expect(Yuan.text(fen: 5) == "0.05")
        #expect(Yuan.text(fen: 3_200_000_000) == "32000000.00")
        #expect(Yuan.text(fen: 0) == "0.00")
    }
}
