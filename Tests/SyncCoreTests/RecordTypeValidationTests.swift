import SyncCore
import Testing

/// Declarations shaped like Hearth's own, so the core's parsing and validation are tested alone.
enum SampleTypes {
    static let person = RecordType(
        name: "person",
        fields: [
            FieldSpec("name", .text, required: true, personal: true),
            FieldSpec("phone", .phone, personal: true),
            FieldSpec("residency", .choice(["local", "nonlocal"])),
            FieldSpec("joinedOn", .date),
            FieldSpec("notes", .text, personal: true),
        ],
        labelField: "name")

    static let event = RecordType(
        name: "event",
        fields: [
            FieldSpec("title", .text, required: true),
            FieldSpec("startsAt", .timestamp, required: true),
            FieldSpec("endsAt", .timestamp),
            FieldSpec("capacity", .integer(minimum: 0)),
            FieldSpec("hostId", .reference("person")),
        ],
        rules: [
            RecordType.Rule { values in
                guard let starts = values["startsAt"]?.text.flatMap(ISOTimestamp.init(parsing:)),
                    let ends = values["endsAt"]?.text.flatMap(ISOTimestamp.init(parsing:))
                else { return nil }
                return ends < starts ? "endsAt is before startsAt" : nil
            }
        ])
}

@Suite("RecordType parse and validate")
struct RecordTypeValidationTests {
    let person = SampleTypes.person
    let event = SampleTypes.event

    @Test(arguments: [
        ("13800138000", "13800138000"), ("+86 138 0013 8000", "+86 138 0013 8000"),
        ("0755-2345-6789", "0755-2345-6789"), ("  110  ", "110"), ("120", "120"),
    ])
    func phoneAcceptsDigitsSpacesPlusAndDash(_ input: String, _ stored: String) throws {
        #expect(try person.parse("phone", text: input) == .text(stored))
    }

    @Test(arguments: ["138-abc-0000", "１３８００１３８０００", "(0755) 2345", "12", "+-", "电话", "138.0013.8000", "138\u{0}0013"])
    func phoneRejectsAnythingElse(_ input: String) {
        #expect(throws: RecordValidationError.self) { try person.parse("phone", text: input) }
    }

    @Test func phoneErrorNamesTheFieldAndNeverQuotesTheValue() {
        let error = #expect(throws: RecordValidationError.self) { try person.parse("phone", text: "138-secret-x") }
        #expect(error?.field == "phone")
        #expect(error?.message.contains("secret") == false)
        #expect(error?.message.contains("digits") == true)
    }

    @Test func choicesAreNormalisedToLowercase() throws {
        #expect(try person.parse("residency", text: "local") == .text("local"))
        #expect(try person.parse("residency", text: " NonLocal ") == .text("nonlocal"))
    }

    @Test(arguments: ["外地", "non-local", "locals", "l"])
    func choicesRejectUnknownWords(_ input: String) {
        let error = #expect(throws: RecordValidationError.self) { try person.parse("residency", text: input) }
        #expect(error?.message.contains("local, nonlocal") == true)
    }

    @Test func datesAreCalendarDatesOnly() throws {
        #expect(try person.parse("joinedOn", text: "2026-01-28") == .text("2026-01-28"))
        #expect(try person.parse("joinedOn", text: "2024-02-29") == .text("2024-02-29"))
        for bad in [
            "2026-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-28", "28/01/2026",
            "2026-01-28T09:30",
        ] {
            #expect(throws: RecordValidationError.self, "\(bad)") { try person.parse("joinedOn", text: bad) }
        }
    }

    @Test func timestampsAreNormalised() throws {
        #expect(try event.parse("startsAt", text: "2026-01-28") == .text("2026-01-28"))
        #expect(try event.parse("startsAt", text: "2026-01-28 09:30") == .text("2026-01-28T09:30"))
        #expect(try event.parse("startsAt", text: "2026-01-28t09:30:15z") == .text("2026-01-28T09:30:15Z"))
        #expect(try event.parse("startsAt", text: "2026-01-28T09:30+08:00") == .text("2026-01-28T09:30+08:00"))
        #expect(throws: RecordValidationError.self) { try event.parse("startsAt", text: "2026-02-30T09:30") }
        #expect(throws: RecordValidationError.self) { try event.parse("startsAt", text: "明天上午") }
    }

    @Test func capacityIsAWholeNumberAtLeastTheMinimum() throws {
        #expect(try event.parse("capacity", text: "0") == .integer(0))
        #expect(try event.parse("capacity", text: " 300 ") == .integer(300))
        #expect(try event.parse("capacity", text: "") == .null)
        for bad in ["-1", "1.5", "三百", "1e3", "99999999999999999999"] {
            let error = #expect(throws: RecordValidationError.self, "\(bad)") { try event.parse("capacity", text: bad) }
            #expect(error?.message.contains("at least 0") == true)
        }
    }

    @Test func referencesAreNormalisedUUIDs() throws {
        #expect(
            try event.parse("hostId", text: "3F6C1E2A-5B7D-4C8E-9F01-23456789ABCD")
                == .text("3f6c1e2a-5b7d-4c8e-9f01-23456789abcd"))
        #expect(throws: RecordValidationError.self) { try event.parse("hostId", text: "张三") }
    }

    @Test func requiredFieldsRefuseEmptyInput() {
        for blank in ["", "   ", "\u{3000}", "\n\t"] {
            let error = #expect(throws: RecordValidationError.self) { try person.parse("name", text: blank) }
            #expect(error?.field == "name")
        }
    }

    @Test func optionalFieldsTurnEmptyInputIntoNull() throws {
        #expect(try person.parse("notes", text: "") == .null)
        #expect(try person.parse("phone", text: "  ") == .null)
    }

    @Test func unknownFieldIsRefused() {
        let error = #expect(throws: RecordValidationError.self) { try person.parse("email", text: "a@b.c") }
        #expect(error?.field == "email")
    }

    @Test func chineseTextIsKeptIntactAndOnlyTrimmed() throws {
        #expect(try person.parse("name", text: "张三") == .text("张三"))
        #expect(try person.parse("name", text: "\u{3000}欧阳 娜娜\u{3000}") == .text("欧阳 娜娜"))
        #expect(try person.parse("notes", text: "焊工（二级）；叉车证，𠀀 👷‍♀️") == .text("焊工（二级）；叉车证，𠀀 👷‍♀️"))
        // Combining marks and multi-line notes survive untouched.
        #expect(try person.parse("notes", text: "e\u{301}\n第二行") == .text("e\u{301}\n第二行"))
    }

    @Test func validateRequiresRequiredFields() {
        let error = #expect(throws: RecordValidationError.self) { try person.validate(["phone": .text("13800138000")]) }
        #expect(error?.field == "name")
        #expect(throws: RecordValidationError.self) { try person.validate(["name": .null]) }
        #expect(throws: Never.self) { try person.validate(["name": .text("张三")]) }
    }

    @Test func validateRefusesAnEndBeforeTheStart() {
        let values: [String: FieldValue] = [
            "title": .text("新春年夜饭"), "startsAt": .text("2026-02-16T18:00"), "endsAt": .text("2026-02-16T17:59"),
        ]
        let error = #expect(throws: RecordValidationError.self) { try event.validate(values) }
        #expect(error?.field == nil)
        var fine = values
        fine["endsAt"] = .text("2026-02-16T18:00")
        #expect(throws: Never.self) { try event.validate(fine) }
        fine["endsAt"] = .null
        #expect(throws: Never.self) { try event.validate(fine) }
    }

    @Test func endsBeforeStartsComparesOffsetsAndDates() {
        // 09:30 at +08:00 is 01:30Z, so an end at 02:00Z is after it.
        #expect(throws: Never.self) {
            try event.validate([
                "title": .text("法律讲座"), "startsAt": .text("2026-03-01T09:30+08:00"),
                "endsAt": .text("2026-03-01T02:00Z"),
            ])
        }
        #expect(throws: RecordValidationError.self) {
            try event.validate([
                "title": .text("返乡服务"), "startsAt": .text("2026-01-30"), "endsAt": .text("2026-01-29T23:00"),
            ])
        }
    }

    @Test func derivedIDsDependOnTypeAndKeyOnly() {
        let member = "3f6c1e2a-5b7d-4c8e-9f01-23456789abcd"
        let activity = "0b7e4a2c-1d3f-4a5b-8c6d-7e8f90a1b2c3"
        let id = DerivedID.make(type: "participation", key: [member, activity])
        #expect(id == DerivedID.make(type: "participation", key: [member, activity]))
        #expect(UUIDText.normalise(id) == id)
        #expect(Array(id)[14] == "8")  // version 8: name-based with a custom hash
        #expect(id != DerivedID.make(type: "participation", key: [activity, member]))
        #expect(id != DerivedID.make(type: "enrolment", key: [member, activity]))
        #expect(DerivedID.make(type: "t", key: ["ab", "c"]) != DerivedID.make(type: "t", key: ["a", "bc"]))
        #expect(DerivedID.make(type: "t", key: ["张三"]) != DerivedID.make(type: "t", key: ["张四"]))
    }
}
