import Testing

@testable import HearthProtocol

/// A 422 never repeats text the sender chose, beyond identifier-shaped names.
@Suite struct WireMessagesWithholdInput {
    @Test(arguments: ["张三 13800000000", String(repeating: "x", count: 100), "a b"])
    func aFieldNameThatIsNotAnIdentifierIsWithheld(_ name: String) {
        let message = WireFormatError.malformedDot(record: "r", field: name).message
        #expect(!message.contains(name))
        #expect(message.contains("<withheld>"))
        #expect(WireFormatError.malformedID(type: name).message.contains("<withheld>"))
    }

    @Test func aDeclaredLookingNameIsShown() {
        #expect(WireFormatError.noVersions(record: "r", field: "phone").message.contains("field phone"))
    }
}
