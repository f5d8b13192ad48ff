import Replica
import SyncCore
import Testing

/// The casework declarations check their values like members and activities do.
@Suite("Casework declarations")
struct CaseworkDeclarationTests {
    let assistanceCase = HearthSchema.assistanceCase

    func baseCase() -> [String: FieldValue] {
        ["kind": .text("labour-dispute"), "openedOn": .text("2024-03-01"), "status": .text("open")]
    }

    @Test func everyCaseKindParsesAndOthersAreRefused() throws {
        for kind in HearthSchema.caseKinds {
            #expect(try assistanceCase.parse("kind", text: kind.uppercased()) == .text(kind))
        }
        #expect(throws: RecordValidationError.self) { try assistanceCase.parse("kind", text: "lawsuit") }
    }

    @Test func amountsAreWholeFenAtLeastZero() throws {
        #expect(try assistanceCase.parse("amountFen", text: "3200000000") == .integer(3_200_000_000))
        #expect(throws: RecordValidationError.self) { try assistanceCase.parse("amountFen", text: "-1") }
        #expect(throws: RecordValidationError.self) { try assistanceCase.parse("amountFen", text: "12.5") }
        #expect(assistanceCase.problem(with: .text("100"), field: "amountFen") != nil)
        #expect(HearthSchema.claim.problem(with: .integer(-5), field: "amountFen") != nil)
    }

    @Test func aCaseClosedBeforeItOpenedOrClosedWithoutADateIsRefused() throws {
        var values = baseCase()
        try assistanceCase.validate(values)
        values["closedOn"] = .text("2024-02-28")
        #expect(throws: RecordValidationError.self) { try assistanceCase.validate(values) }
        values["closedOn"] = .null
        values["status"] = .text("closed")
        let error = #expect(throws: RecordValidationError.self) { try assistanceCase.validate(values) }
        #expect(error?.message.contains("hearth case close") == true)
        values["closedOn"] = .text("2024-04-01")
        try assistanceCase.validate(values)
    }

    @Test func requiredFieldsOfEachTypeAreNamed() throws {
        let required: [(RecordType, [String])] = [
            (assistanceCase, ["kind", "openedOn", "status"]),
            (HearthSchema.enrolment, ["memberId", "planYear", "paidInFen"]),
            (HearthSchema.claim, ["enrolmentId", "paidOn", "amountFen"]),
            (HearthSchema.certificate, ["memberId", "trade", "issuedOn"]),
        ]
        for (type, fields) in required {
            #expect(type.fields.filter(\.isRequired).map(\.name) == fields, "\(type.name)")
            let error = #expect(throws: RecordValidationError.self) { try type.validate([:]) }
            #expect(error?.field == fields.first)
        }
        #expect(throws: RecordValidationError.self) { try HearthSchema.enrolment.parse("planYear", text: "1999") }
        #expect(throws: RecordValidationError.self) { try HearthSchema.certificate.parse("level", text: "master") }
        #expect(throws: RecordValidationError.self) { try HearthSchema.claim.parse("enrolmentId", text: "abc") }
    }

    @Test func anEnrolmentIsIdentifiedByItsMemberAndYear() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心", nodeID: .fixed(1))
            let values: [String: FieldValue] = [
                "memberId": .text(recordID(1)), "planYear": .integer(2024), "paidInFen": .integer(5_000),
            ]
            let first = try replica.write { tx in try tx.insert(HearthSchema.enrolment, values) }
            #expect(first.id == DerivedID.make(type: "enrolment", key: [recordID(1), "2024"]))
            #expect(throws: ReplicaError.self) {
                try replica.write { tx in try tx.insert(HearthSchema.enrolment, values) }
            }
            var nextYear = values
            nextYear["planYear"] = .integer(2025)
            #expect(try replica.write { tx in try tx.insert(HearthSchema.enrolment, nextYear) }.id != first.id)
        }
    }

    @Test func everyCaseworkTypeIsInTheCatalogAfterTheTypesItRefersTo() {
        let names = HearthSchema.all.map(\.name)
        #expect(names == ["member", "activity", "participation", "case", "enrolment", "claim", "certificate"])
        for (index, type) in HearthSchema.all.enumerated() {
            for spec in type.fields {
                guard case .reference(let target) = spec.kind else { continue }
                #expect(names.firstIndex(of: target).map { $0 < index } == true, "\(type.name).\(spec.name)")
            }
        }
        #expect(RecordCatalog.hearth.type(named: "case") == assistanceCase)
    }
}
