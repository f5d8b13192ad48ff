import GRDB
import HearthTestSupport
import Replica
import SyncCore

/// Random local writes on one node, the way staff make them: members, activities,
/// registrations and casework (cases and mutual-aid enrolments) created, edited, deleted and
/// re-created, and open conflicts resolved.
///
/// Each node writes with the declarations of its own release (`SimulatedNode.catalog`): a node
/// still on `OlderRelease` never writes a field or a type it does not know, nor resolves a
/// conflict on one; it only keeps and forwards what newer nodes wrote there.
///
/// Records are few (a handful of members, a few activities), so nodes often edit the same
/// record, and the same field, without seeing each other. New ids come from the seeded
/// generator (through `ReplicaTransaction.write`, exactly what `insert` does with a random id)
/// so a replayed seed creates the same records.
enum OperationGenerator {
    enum Kind: String, CaseIterable {
        case createMember, editMember, deleteMember, recreateMember
        case createActivity, editActivity, deleteActivity, recreateActivity
        case register, checkIn, cancel, deleteParticipation
        case openCase, editCase, enrol, deleteCasework
        case resolve
    }

    /// What one step did on a node.
    struct Outcome: Sendable {
        var summary: String
        /// The node that wrote, and the writer identity its writes carried (see `ConvergenceModel.note`).
        var node: NodeID?
        var writer: NodeID?
        /// The states the committed writes produced (none when the step was refused).
        var states: [RecordState] = []
        /// Why the replica refused the step, when it did for a reason staff would be told.
        var refusal: String?
        /// An error no valid input explains (a storage failure): the code under test misbehaved.
        var failure: String?
        var resolvedConflict = false
    }

    static let weights: [(Kind, Int)] = [
        (.createMember, 10), (.editMember, 22), (.deleteMember, 4), (.recreateMember, 3),
        (.createActivity, 4), (.editActivity, 8), (.deleteActivity, 2), (.recreateActivity, 2),
        (.register, 12), (.checkIn, 6), (.cancel, 6), (.deleteParticipation, 2),
        (.openCase, 3), (.editCase, 4), (.enrol, 3), (.deleteCasework, 2),
        (.resolve, 20),
    ]

    static let maxLiveMembers = 6
    static let maxLiveActivities = 3

    /// One step on `node`: usually one write in its own transaction, sometimes a small batch of
    /// writes in one transaction (all kept, or none if any is refused), or a resolution.
    static func perform(on node: SimulatedNode, random: inout SeededGenerator) -> Outcome {
        var outcome = attempt(on: node, random: &random)
        outcome.node = node.id
        outcome.writer = try? node.replica.currentWriter()
        return outcome
    }

    private static func attempt(on node: SimulatedNode, random: inout SeededGenerator) -> Outcome {
        var kind = random.weighted(weights)
        if kind == .resolve {
            if let outcome = resolveOne(on: node, random: &random) { return outcome }
            kind = .editMember
        }
        let batch =
            random.chance(80)
            ? [kind, random.weighted(weights), random.weighted(weights)].filter { $0 != .resolve } : [kind]
        var summaries: [String] = []
        do {
            let states = try node.replica.write { transaction in
                var produced: [RecordState] = []
                for kind in batch {
                    let (summary, states) = try write(kind, transaction, random: &random)
                    summaries.append(summary)
                    produced.append(contentsOf: states)
                }
                return produced
            }
            let label = batch.count > 1 ? "batch: " : ""
            return Outcome(summary: "\(node.name): \(label)\(summaries.joined(separator: "; "))", states: states)
        } catch {
            return failed(
                "\(node.name): \(batch.count > 1 ? "batch: " : "")\(summaries.joined(separator: "; "))", error)
        }
    }

    /// Resolves one open conflict of `node` on a field its release declares, keeping its side,
    /// the other side, or a new value.
    static func resolveOne(on node: SimulatedNode, random: inout SeededGenerator) -> Outcome? {
        let catalog = node.catalog
        guard let conflicts = try? node.replica.read({ try $0.conflicts() }),
            let report = random.pick(
                conflicts.filter { report in
                    catalog.type(named: report.recordType).map {
                        report.field == RecordState.lifecycleField || $0.field(report.field) != nil
                    } ?? false
                })
        else {
            return nil
        }
        let resolution: ConflictResolution
        if report.field == RecordState.lifecycleField || random.chance(600) {
            resolution = random.chance(500) ? .keepLocal : .keepRemote
        } else {
            let type = catalog.type(named: report.recordType)!
            resolution = .value(SampleData.text(for: report.field, of: type, random: &random))
        }
        let summary =
            "\(node.name): resolve \(report.recordType) \(report.recordID.prefix(8)) \(report.field) with \(resolution)"
        do {
            let state = try node.replica.write { transaction in try transaction.resolve(report, resolution) }
            return Outcome(summary: summary, states: [state], resolvedConflict: true)
        } catch {
            return failed(summary, error)
        }
    }

    private static func failed(_ summary: String, _ error: any Error) -> Outcome {
        if let error = error as? ReplicaError, error.code != .storage {
            return Outcome(summary: "\(summary) → refused (\(error.code))", refusal: error.message)
        }
        return Outcome(summary: "\(summary) → FAILED", failure: "\(summary): \(error)")
    }

    // MARK: Single writes

    /// Performs one write of `kind` inside `transaction`, with the declarations of the replica's
    /// release; throws when the replica refuses it.
    static func write(_ kind: Kind, _ transaction: ReplicaTransaction, random: inout SeededGenerator) throws
        -> (String, [RecordState])
    {
        let db = transaction.db
        // Every release declares these three; only their fields differ (`OlderRelease`).
        let catalog = transaction.replica.catalog
        let member = catalog.type(named: HearthSchema.member.name)!
        let activity = catalog.type(named: HearthSchema.activity.name)!
        let participation = catalog.type(named: HearthSchema.participation.name)!
        switch kind {
        case .createMember:
            if try ids(member, live: true, db).count >= maxLiveMembers {
                return try write(.editMember, transaction, random: &random)
            }
            var values: [String: FieldValue] = ["name": .text(SampleData.personName(&random))]
            for field in ["phone", "employer", "residency", "skills"] where random.chance(600) {
                if member.field(field) == nil { continue }
                values[field] = SampleData.value(for: field, of: member, random: &random)
            }
            let id = random.uuid()
            let state = try transaction.write(member, id: id, values, mustExist: false)
            return ("create member \(id.prefix(8)) \(show(values))", [state])
        case .editMember:
            // Mostly live members; now and then a deleted one, which must be refused.
            let live = try ids(member, live: true, db)
            let deleted = try ids(member, live: false, db)
            guard let id = random.chance(100) && !deleted.isEmpty ? random.pick(deleted) : random.pick(live) else {
                return try write(.createMember, transaction, random: &random)
            }
            let values = editedValues(
                of: member,
                fields: [
                    ("phone", 6), ("employer", 2), ("notes", 2), ("name", 1),
                    ("skills", 1), ("center", 1), ("residency", 1), ("gender", 1), ("joinedOn", 1),
                ], random: &random)
            return ("edit member \(id.prefix(8)) \(show(values))", [try transaction.update(member, id: id, values)])
        case .deleteMember:
            guard let id = random.pick(try ids(member, live: true, db)) else { return ("delete member: none", []) }
            return ("delete member \(id.prefix(8))", [try transaction.delete(member, id: id)])
        case .recreateMember:
            guard let id = random.pick(try ids(member, live: false, db)) else {
                return try write(.createMember, transaction, random: &random)
            }
            var values: [String: FieldValue] = ["name": .text(SampleData.personName(&random))]
            if random.chance(500) { values["phone"] = .text(SampleData.phone(&random)) }
            return (
                "re-create member \(id.prefix(8)) \(show(values))",
                [try transaction.write(member, id: id, values, mustExist: false)]
            )
        case .createActivity:
            if try ids(activity, live: true, db).count >= maxLiveActivities {
                return try write(.editActivity, transaction, random: &random)
            }
            var values: [String: FieldValue] = [:]
            for field in ["title", "kind", "startsAt", "location", "capacity", "endsAt"] {
                let required = activity.field(field)!.isRequired
                if required || random.chance(600) {
                    var text = SampleData.text(for: field, of: activity, random: &random)
                    while required && text.isEmpty { text = SampleData.text(for: field, of: activity, random: &random) }
                    values[field] = try activity.parse(field, text: text)
                }
            }
            let id = random.uuid()
            let state = try transaction.write(activity, id: id, values, mustExist: false)
            return ("create activity \(id.prefix(8)) \(show(values))", [state])
        case .editActivity:
            guard let id = random.pick(try ids(activity, live: true, db)) else {
                return try write(.createActivity, transaction, random: &random)
            }
            let values = editedValues(
                of: activity,
                fields: [
                    ("title", 2), ("location", 2), ("capacity", 3), ("description", 2),
                    ("endsAt", 1), ("center", 1),
                ], random: &random)
            return ("edit activity \(id.prefix(8)) \(show(values))", [try transaction.update(activity, id: id, values)])
        case .deleteActivity:
            guard let id = random.pick(try ids(activity, live: true, db)) else { return ("delete activity: none", []) }
            return ("delete activity \(id.prefix(8))", [try transaction.delete(activity, id: id)])
        case .recreateActivity:
            guard let id = random.pick(try ids(activity, live: false, db)) else {
                return try write(.createActivity, transaction, random: &random)
            }
            let values: [String: FieldValue] = [
                "title": .text(random.pick(SampleData.activityTitles)!), "kind": .text("culture"),
                "startsAt": .text(SampleData.time(day: random.int(1...3), &random)), "endsAt": .null,
            ]
            return (
                "re-create activity \(id.prefix(8)) \(show(values))",
                [try transaction.write(activity, id: id, values, mustExist: false)]
            )
        case .register:
            // Any known member and activity: duplicates, deleted ones and full activities are refused.
            guard let memberID = random.pick(try ids(member, live: random.chance(900), db)),
                let activityID = random.pick(try ids(activity, live: random.chance(900), db))
            else { return ("register: nobody", []) }
            let state = try Roster(transaction).register(member: memberID, activity: activityID)
            return ("register \(memberID.prefix(8)) for \(activityID.prefix(8))", [state])
        case .checkIn:
            guard let (memberID, activityID) = random.pick(try registrations("status = 'registered'", db)) else {
                return ("check in: nobody registered", [])
            }
            let time = SampleData.time(day: random.int(1...9), &random)
            let state = try Roster(transaction).checkIn(member: memberID, activity: activityID, at: time)
            return ("check in \(memberID.prefix(8)) at \(activityID.prefix(8))", [state])
        case .cancel:
            guard let (memberID, activityID) = random.pick(try registrations("status != 'cancelled'", db)) else {
                return ("cancel: nobody registered", [])
            }
            let state = try Roster(transaction).cancel(member: memberID, activity: activityID)
            return ("cancel \(memberID.prefix(8)) at \(activityID.prefix(8))", [state])
        case .deleteParticipation:
            guard let id = random.pick(try ids(participation, live: true, db)) else {
                return ("delete participation: none", [])
            }
            return ("delete participation \(id.prefix(8))", [try transaction.delete(participation, id: id)])
        case .openCase, .editCase, .enrol, .deleteCasework:
            guard let written = try writeCasework(kind, transaction, random: &random) else {
                return try write(.editMember, transaction, random: &random)
            }
            return written
        case .resolve:
            return ("resolve: not in a batch", [])
        }
    }

    /// New values for one or two of the fields (weighted) that `type` declares, each valid for
    /// its declaration.
    static func editedValues(of type: RecordType, fields: [(String, Int)], random: inout SeededGenerator)
        -> [String: FieldValue]
    {
        let declared = fields.filter { type.field($0.0) != nil }
        var values: [String: FieldValue] = [:]
        for _ in 0..<(random.chance(250) ? 2 : 1) {
            let field = random.weighted(declared)
            var value = SampleData.value(for: field, of: type, random: &random)
            while value == nil { value = SampleData.value(for: field, of: type, random: &random) }
            values[field] = value!
        }
        return values
    }

    /// Ids of live (or deleted) records of `type`, sorted so the draw is deterministic.
    static func ids(_ type: RecordType, live: Bool, _ db: Database) throws -> [String] {
        try String.fetchAll(
            db, sql: "SELECT id FROM \"\(type.name)\" WHERE _deleted = ? ORDER BY id", arguments: [live ? 0 : 1])
    }

    private static func registrations(_ condition: String, _ db: Database) throws -> [(String, String)] {
        try Row.fetchAll(
            db, sql: "SELECT memberId, activityId FROM participation WHERE _deleted = 0 AND \(condition) ORDER BY id"
        ).map { ($0[0], $0[1]) }
    }

    static func show(_ values: [String: FieldValue]) -> String {
        values.keys.sorted().map { "\($0)=\(values[$0]!.isNull ? "∅" : values[$0]!.description)" }.joined(
            separator: " ")
    }
}
