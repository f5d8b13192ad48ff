import Foundation
import HearthCLI
import SyncCore
import Testing

@Suite struct FieldInputTests {
    /// A type shaped like the member declaration, so these tests need no replica.
    let person = RecordType(
        name: "person",
        fields: [
            FieldSpec("name", .text, required: true, personal: true),
            FieldSpec("phone", .phone, personal: true),
            FieldSpec("residency", .choice(["local", "nonlocal"])),
            FieldSpec("joinedOn", .date),
            FieldSpec("capacity", .integer(minimum: 0)),
        ])

    @Test func onlyGivenOptionsBecomeValues() throws {
        let values = try FieldInput.values(
            person,
            [.init("name", " 张伟 "), .init("phone", nil), .init("residency", "NonLocal"), .init("joinedOn", nil)])
        #expect(values == ["name": .text("张伟"), "residency": .text("nonlocal")])
    }

    @Test func anEmptyOptionClearsTheField() throws {
        let values = try FieldInput.values(person, [.init("phone", "")])
        #expect(values == ["phone": .null])
    }

    @Test func numbersBecomeIntegers() throws {
        #expect(try FieldInput.values(person, [.init("capacity", "20")]) == ["capacity": .integer(20)])
    }

    @Test(arguments: [
        ("phone", "12ab34", "phone must be a phone number"),
        ("residency", "mars", "residency must be one of local, nonlocal"),
        ("joinedOn", "2026-02-30", "joinedOn must be a date"),
        ("capacity", "-1", "capacity must be a whole number of at least 0"),
        ("name", "  ", "name must not be empty"),
    ])
    func badInputIsRefusedWithAMessageNamingTheField(field: String, text: String, message: String) {
        #expect {
            try FieldInput.values(person, [.init(field, text)])
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func aBadPhoneIsNotQuotedInTheMessage() {
        #expect {
            try FieldInput.values(person, [.init("phone", "138x0000")])
        } throws: { error in
            !"\(error)".contains("138x0000")
        }
    }

    @Test func emptyFiltersAreIgnored() throws {
        let filters = try FieldInput.filters(person, [.init("residency", ""), .init("name", nil)])
        #expect(filters.isEmpty)
    }

    @Test func recordIDsAreCheckedAndLowercased() throws {
        let id = "5B0C2A9E-3F1D-4C6B-9A7E-2D4F6A8B0C1D"
        #expect(try FieldInput.recordID(" \(id) ", of: person) == id.lowercased())
        #expect {
            try FieldInput.recordID("not-an-id", of: person)
        } throws: { error in
            "\(error)".contains("is not a person id") && "\(error)".contains("hearth person list")
        }
    }

    @Test func localTimestampsCarryTheirOffsetAndParseAsISO8601() throws {
        let date = Date(timeIntervalSince1970: 1_769_563_805)  // 2026-01-28T01:30:05Z
        let shanghai = try #require(TimeZone(secondsFromGMT: 8 * 3600))
        let text = LocalTimestamp.string(for: date, in: shanghai)
        #expect(text == "2026-01-28T09:30:05+08:00")
        #expect(
            LocalTimestamp.string(for: date, in: try #require(TimeZone(secondsFromGMT: 0)))
                == "2026-01-28T01:30:05+00:00")
        #expect(
            LocalTimestamp.string(for: date, in: try #require(TimeZone(secondsFromGMT: -(3 * 3600 + 1800))))
                == "2026-01-27T22:00:05-03:30")
        #expect(ISOTimestamp(parsing: text)?.text == text)
    }
}
