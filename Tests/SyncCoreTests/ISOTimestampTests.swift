import HearthTestSupport
import SyncCore
import Testing

@Suite("ISOTimestamp")
struct ISOTimestampTests {
    @Test(arguments: [
        ("2026-01-28", "2026-01-28", true),
        ("2026-01-28T09:30", "2026-01-28T09:30", false),
        ("2026-01-28 09:30", "2026-01-28T09:30", false),
        ("2026-01-28t09:30", "2026-01-28T09:30", false),
        ("2026-01-28T09:30:05", "2026-01-28T09:30:05", false),
        ("2026-01-28T09:30Z", "2026-01-28T09:30Z", false),
        ("2026-01-28T09:30:05z", "2026-01-28T09:30:05Z", false),
        ("2026-01-28T09:30+08:00", "2026-01-28T09:30+08:00", false),
        ("2026-01-28T09:30:00-05:30", "2026-01-28T09:30:00-05:30", false),
        ("2024-02-29", "2024-02-29", true),
        ("2000-02-29", "2000-02-29", true),
        ("2026-12-31T23:59:59", "2026-12-31T23:59:59", false),
    ])
    func validInputIsNormalised(_ input: String, _ text: String, _ dateOnly: Bool) throws {
        let stamp = try #require(ISOTimestamp(parsing: input))
        #expect(stamp.text == text)
        #expect(stamp.isDateOnly == dateOnly)
        #expect(ISOTimestamp(parsing: stamp.text) == stamp, "normalised text parses back to the same value")
    }

    @Test(arguments: [
        "2026-02-30", "2026-02-29", "1900-02-29", "2026-04-31", "2026-06-31", "2026-09-31", "2026-11-31",
        "2026-13-01", "2026-00-01", "2026-01-00", "2026-01-32",
        "2026-1-28", "26-01-28", "2026/01/28", "2026-01-28T", "2026-01-28T9:30", "2026-01-28T24:00",
        "2026-01-28T09:60", "2026-01-28T09:30:60", "2026-01-28T09:30:5", "2026-01-28X09:30", "2026-01-28T09:30 ",
        "2026-01-28T09:30+8:00", "2026-01-28T09:30+0800", "2026-01-28T09:30+24:00", "2026-01-28T09:30UTC",
        "２０２６-01-28", "", "今天",
    ])
    func invalidInputIsRejected(_ input: String) {
        #expect(ISOTimestamp(parsing: input) == nil)
    }

    /// Offsets must be exactly `±HH:MM` in digits.
    @Test(arguments: [
        "2026-01-28T09:30+-1:00", "2026-01-28T09:30++8:00", "2026-01-28T09:30+08:-5", "2026-01-28T09:30-+1:+5",
    ])
    func malformedOffsetsAreRejected(_ input: String) {
        #expect(ISOTimestamp(parsing: input) == nil)
    }

    @Test func orderingFollowsTheInstantWithOffsets() throws {
        let dinner = try #require(ISOTimestamp(parsing: "2026-02-16T18:00+08:00"))
        let sameInstant = try #require(ISOTimestamp(parsing: "2026-02-16T10:00Z"))
        let later = try #require(ISOTimestamp(parsing: "2026-02-16T10:01Z"))
        #expect(dinner.sortKey == sameInstant.sortKey)
        #expect(dinner < later)
        #expect(!(later < dinner))
        let day = try #require(ISOTimestamp(parsing: "2026-02-16"))
        let morning = try #require(ISOTimestamp(parsing: "2026-02-16T00:00:01"))
        #expect(day < morning)
    }

    @Test func sortKeyCountsSecondsSince1970() throws {
        #expect(try #require(ISOTimestamp(parsing: "1970-01-01")).sortKey == 0)
        #expect(try #require(ISOTimestamp(parsing: "1970-01-02T00:00:01Z")).sortKey == 86_401)
        #expect(try #require(ISOTimestamp(parsing: "2026-01-28T00:00:00Z")).sortKey == 1_769_558_400)
        #expect(try #require(ISOTimestamp(parsing: "1969-12-31T23:59:59")).sortKey == -1)
    }

    /// The write path's date check agrees with parsing: a canonical date is exactly a text that
    /// parses as date-only and spells back unchanged.
    @Test func canonicalDateCheckAgreesWithParsing() {
        var texts = [
            "2026-01-28", "2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29", "0000-01-01", "9999-12-31",
            "2026-13-01", "2026-00-10", "2026-04-31", "2026-04-30", "2026-1-28", "2026/01/28", "2026-01-28T09:30",
            "2026-01-28 ", " 2026-01-28", "２０２６-01-28", "20260128", "", "2026-01-2a", "2026-01-00",
        ]
        var rng = SeededGenerator(seed: 7)
        let alphabet = Array("0123456789-T:Z+ 1")
        for _ in 0..<2_000 {
            texts.append(String((0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }))
            let year = Int.random(in: 0...9999, using: &rng)
            let month = Int.random(in: 0...13, using: &rng)
            let day = Int.random(in: 0...32, using: &rng)
            func pad(_ value: Int, _ width: Int) -> String {
                let digits = String(value)
                return String(repeating: "0", count: max(0, width - digits.count)) + digits
            }
            texts.append("\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))")
        }
        for text in texts {
            let parsed = ISOTimestamp(parsing: text).map { $0.isDateOnly && $0.text == text } == true
            #expect(ISOTimestamp.isCanonicalDate(text) == parsed, "\(text)")
        }
    }
}
