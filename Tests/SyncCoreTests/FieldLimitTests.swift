import SyncCore
import Testing

/// Every text field has a length limit in bytes of UTF-8, checked on parse and on every stored
/// value; refusals name the type, field and limit, never the value.
@Suite("Field value limits")
struct FieldLimitTests {
    let person = SampleTypes.person

    @Test(arguments: [
        (FieldKind.text, 1_024), (.phone, 64), (.choice(["local"]), 64), (.date, 10), (.timestamp, 32),
        (.reference("person"), 36),
    ])
    func everyTextKindHasALimit(kind: FieldKind, limit: Int) {
        #expect(kind.defaultMaxBytes == limit)
        #expect(FieldSpec("x", kind).maxBytes == limit)
    }

    @Test func numbersHaveNoTextLimitAndDeclarationsMayRaiseIt() {
        #expect(FieldSpec("capacity", .integer(minimum: 0)).maxBytes == nil)
        #expect(FieldSpec("notes", .text, maxBytes: FieldSpec.longTextBytes).maxBytes == 16_384)
    }

    @Test func textAtTheLimitIsAcceptedAndOneByteMoreIsRefused() throws {
        // 341 Chinese characters are 1,023 bytes; one ASCII letter more reaches the limit exactly.
        let atLimit = String(repeating: "张", count: 341) + "a"
        #expect(atLimit.utf8.count == 1_024)
        #expect(person.problem(with: .text(atLimit), field: "name") == nil)
        #expect(try person.parse("name", text: atLimit) == .text(atLimit))
        let over = atLimit + "b"
        let problem = try #require(person.problem(with: .text(over), field: "name"))
        #expect(problem.contains("name of a person may be at most 1024 bytes"))
        #expect(!problem.contains("张"))
        let error = #expect(throws: RecordValidationError.self) { try person.parse("name", text: over) }
        #expect(error?.field == "name")
        #expect(error?.message == problem)
    }

    @Test func shortKindsRefuseLongText() {
        let digits = String(repeating: "1", count: 65)
        #expect(person.problem(with: .text(digits), field: "phone")?.contains("at most 64 bytes") == true)
        #expect(person.problem(with: .text(String(repeating: "1", count: 64)), field: "phone") == nil)
    }
}
