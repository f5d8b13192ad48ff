import HearthTestSupport
import Replica
import SyncCore

/// Casework writes: legal-aid cases opened, edited, closed and deleted, and mutual-aid
/// enrolments, whose id is derived from (member, plan year) so two nodes enrolling the same
/// person offline make one record. Only nodes whose release declares these types write them
/// (an `OlderRelease` node keeps them for newer nodes), so they are what an upgrade reveals.
extension OperationGenerator {
    static let maxLiveCases = 3

    /// One casework write, or nil when the replica's release does not declare casework.
    static func writeCasework(_ kind: Kind, _ transaction: ReplicaTransaction, random: inout SeededGenerator) throws
        -> (String, [RecordState])?
    {
        let catalog = transaction.replica.catalog
        guard let legalCase = catalog.type(named: HearthSchema.assistanceCase.name),
            let enrolment = catalog.type(named: HearthSchema.enrolment.name),
            let member = catalog.type(named: HearthSchema.member.name)
        else { return nil }
        let db = transaction.db
        switch kind {
        case .openCase:
            if try ids(legalCase, live: true, db).count >= maxLiveCases {
                return try writeCasework(.editCase, transaction, random: &random)
            }
            var values: [String: FieldValue] = [
                "kind": .text(random.pick(HearthSchema.caseKinds)!), "status": .text("open"),
                "openedOn": .text("2026-01-\(random.int(10...28))"),
            ]
            if random.chance(600), let memberID = random.pick(try ids(member, live: true, db)) {
                values["memberId"] = .text(memberID)
            }
            if random.chance(400) { values["enterprise"] = .text(random.pick(SampleData.employers)!) }
            if random.chance(300) { values["workers"] = .integer(Int64(random.int(1...40))) }
            let id = random.uuid()
            let state = try transaction.write(legalCase, id: id, values, mustExist: false)
            return ("open case \(id.prefix(8)) \(show(values))", [state])
        case .editCase:
            guard let id = random.pick(try ids(legalCase, live: true, db)) else {
                return try writeCasework(.openCase, transaction, random: &random)
            }
            let values: [String: FieldValue]
            if random.chance(250) {
                // Closing is an ordinary edit of two fields (after any opening date: cases open in January).
                values = ["status": .text("closed"), "closedOn": .text("2026-02-0\(random.int(1...9))")]
            } else {
                values = editedValues(
                    of: legalCase,
                    fields: [("notes", 3), ("outcome", 2), ("amountFen", 2), ("enterprise", 1), ("status", 1)],
                    random: &random)
            }
            return ("edit case \(id.prefix(8)) \(show(values))", [try transaction.update(legalCase, id: id, values)])
        case .enrol:
            guard let memberID = random.pick(try ids(member, live: true, db)) else { return ("enrol: nobody", []) }
            let year = Int64(random.int(2025...2026))
            let paid = FieldValue.integer(Int64(random.int(1...12)) * 5_000)
            let id = DerivedID.make(type: enrolment.name, key: [memberID, FieldValue.integer(year).description])
            if let existing = try transaction.record(enrolment, id: id), !existing.isDeleted {
                let state = try transaction.update(enrolment, id: id, ["paidInFen": paid])
                return ("change enrolment \(id.prefix(8)) paidInFen=\(paid)", [state])
            }
            let state = try transaction.insert(
                enrolment, ["memberId": .text(memberID), "planYear": .integer(year), "paidInFen": paid])
            return ("enrol \(memberID.prefix(8)) for \(year) (enrolment \(id.prefix(8)))", [state])
        case .deleteCasework:
            let live =
                try ids(legalCase, live: true, db).map { (legalCase, $0) }
                + ids(enrolment, live: true, db).map { (enrolment, $0) }
            guard let (type, id) = random.pick(live) else { return ("delete casework: none", []) }
            return ("delete \(type.name) \(id.prefix(8))", [try transaction.delete(type, id: id)])
        default:
            return nil
        }
    }
}
