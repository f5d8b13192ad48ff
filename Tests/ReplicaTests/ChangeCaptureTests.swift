import Foundation
import GRDB
import HearthTestSupport
import Replica
import SyncCore
import Testing

@Suite("Change capture")
struct ChangeCaptureTests {
    let member = HearthSchema.member
    let activity = HearthSchema.activity

    /// Everything a failed write must leave as it was.
    struct Footprint: Equatable {
        var members: Int
        var activities: Int
        var changeLog: Int
        var counter: String?
        var digest: ReplicaDigest
        var openConflicts: Int
        var pending: Int

        init(_ replica: Replica) throws {
            (members, activities, changeLog, counter, digest, openConflicts) = try replica.read { reader in
                (
                    try reader.count(table: "member"), try reader.count(table: "activity"),
                    try reader.count(table: "change_log"), try reader.setting("counter"), try reader.digest(),
                    try reader.count(table: "open_conflict")
                )
            }
            pending = try replica.pendingRecordCount()
        }
    }

    @Test func eachWriteRecordsExactlyOneChangeWithTheNextDot() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let node = replica.nodeID
            let created = try replica.write { tx in try tx.insert(member, ["name": .text("张三")]) }
            let edited = try replica.write { tx in
                try tx.update(member, id: created.id, ["phone": .text("13800138000"), "center": .text("沙头")])
            }
            let deleted = try replica.write { tx in try tx.delete(member, id: created.id) }

            let log = try replica.read { try $0.changeLog() }
            #expect(log.map(\.dot) == [3, 2, 1].map { Dot(node: node, counter: $0) })
            #expect(log.allSatisfy { $0.recordType == "member" && $0.recordID == created.id })
            #expect(log.map(\.fields) == [["_deleted"], ["center", "phone"], ["name"]])
            #expect(log.allSatisfy { $0.wallTime == Scratch.fixedClock })

            #expect(created.vector == VersionVector([node: 1]))
            #expect(edited.vector == VersionVector([node: 2]))
            #expect(edited.fields["phone"]?.shown.dot == Dot(node: node, counter: 2))
            #expect(edited.fields["name"]?.shown.dot == Dot(node: node, counter: 1))
            #expect(deleted.vector == VersionVector([node: 3]))
            #expect(deleted.isDeleted)
            #expect(try replica.read { try $0.setting("counter") } == "3")
            #expect(try replica.record(member, created.id) == deleted)
        }
    }

    @Test func severalWritesInOneTransactionTakeConsecutiveDots() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let states = try replica.write { tx in
                var states: [RecordState] = []
                for n in 1...5 { states.append(try tx.insert(member, ["name": .text("会员\(n)")])) }
                return states
            }
            #expect(states.map { $0.vector[replica.nodeID] } == [1, 2, 3, 4, 5])
            let log = try replica.read { try $0.changeLog() }
            #expect(log.count == 5)
            #expect(Set(log.map(\.recordID)) == Set(states.map(\.id)))
        }
    }

    @Test func changeIsVisibleInsideItsOwnTransaction() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            try replica.write { tx in
                let state = try tx.insert(member, ["name": .text("张三")])
                let row = try Row.fetchOne(tx.db, sql: "SELECT counter, record_id FROM change_log")
                #expect(row?[0] == Int64(1))
                #expect(row?[1] == state.id)
                #expect(try tx.record(member, id: state.id) == state)
            }
        }
    }

    @Test func writeThatFailsValidationLeavesNoTrace() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let existing = try replica.write { tx in try tx.insert(member, ["name": .text("张三")]) }
            let before = try Footprint(replica)

            let missingName = #expect(throws: ReplicaError.self) {
                try replica.write { tx in try tx.insert(member, ["phone": .text("13800138000")]) }
            }
            #expect(missingName?.code == .invalidInput)
            let blanked = #expect(throws: ReplicaError.self) {
                try replica.write { tx in try tx.update(member, id: existing.id, ["name": .null]) }
            }
            #expect(blanked?.code == .invalidInput)
            let endsEarly = #expect(throws: ReplicaError.self) {
                try replica.write { tx in
                    try tx.insert(
                        activity,
                        [
                            "title": .text("新春年夜饭"), "kind": .text("holiday"),
                            "startsAt": .text("2026-02-16T18:00"), "endsAt": .text("2026-02-16T08:00"),
                        ])
                }
            }
            #expect(endsEarly?.code == .invalidInput)
            #expect(endsEarly?.message.contains("before") == true)
            let undeclared = #expect(throws: ReplicaError.self) {
                try replica.write { tx in try tx.update(member, id: existing.id, ["email": .text("a@b.cn")]) }
            }
            #expect(undeclared?.code == .invalidInput)

            #expect(try Footprint(replica) == before)
            #expect(try replica.record(member, existing.id) == existing)
        }
    }

    @Test func closureThatThrowsAfterSomeWritesLeavesNoTrace() throws {
        struct StaffCancelled: Error {}
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let existing = try replica.write { tx in try tx.insert(member, ["name": .text("张三")]) }
            let before = try Footprint(replica)

            let error = #expect(throws: ReplicaError.self) {
                try replica.write { tx in
                    try tx.insert(member, ["name": .text("李四")])
                    try tx.update(member, id: existing.id, ["phone": .text("13800138000")])
                    try tx.delete(member, id: existing.id)
                    try tx.setSetting("pull_cursor", "12")
                    throw StaffCancelled()
                }
            }
            #expect(error?.cause is StaffCancelled)
            #expect(try Footprint(replica) == before)
            #expect(try replica.record(member, existing.id) == existing)
            #expect(try replica.pullCursor() == 0)

            // The next write takes the next dot, as if the failed one never happened.
            let next = try replica.write { tx in try tx.insert(member, ["name": .text("王五")]) }
            #expect(next.vector == VersionVector([replica.nodeID: 2]))
        }
    }

    @Test func laterValidationFailureRollsBackEarlierWritesOfTheSameTransaction() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let before = try Footprint(replica)
            #expect(throws: ReplicaError.self) {
                try replica.write { tx in
                    try tx.insert(member, ["name": .text("张三")])
                    try tx.insert(member, ["name": .text("李四")])
                    try tx.insert(member, ["name": .null])
                }
            }
            #expect(try Footprint(replica) == before)
        }
    }

    @Test func updateAndDeleteNeedALiveRecord() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let unknown = UUIDText.random()
            let notFound = #expect(throws: ReplicaError.self) {
                try replica.write { tx in try tx.update(member, id: unknown, ["name": .text("张三")]) }
            }
            #expect(notFound?.code == .notFound)
            let state = try replica.write { tx in try tx.insert(member, ["name": .text("张三")]) }
            try replica.write { tx in try tx.delete(member, id: state.id) }
            for attempt in [
                { (tx: ReplicaTransaction) in try tx.update(member, id: state.id, ["name": .text("张三丰")]) },
                { (tx: ReplicaTransaction) in try tx.delete(member, id: state.id) },
            ] {
                let error = #expect(throws: ReplicaError.self) { try replica.write { tx in _ = try attempt(tx) } }
                #expect(error?.code == .notFound)
            }
            let empty = #expect(throws: ReplicaError.self) {
                try replica.write { tx in try tx.update(member, id: state.id, [:]) }
            }
            #expect(empty?.code == .invalidInput)
            #expect(try replica.read { try $0.count(member) } == 0)
            #expect(try replica.read { try $0.count(table: "change_log") } == 2)
        }
    }

    @Test func localWritesArePendingOnANodeUntilAcknowledged() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let first = try replica.write { tx in try tx.insert(member, ["name": .text("张三")]) }
            try replica.write { tx in
                try tx.update(member, id: first.id, ["phone": .text("13800138000")])
                try tx.insert(member, ["name": .text("李四")])
            }
            #expect(try replica.pendingRecordCount() == 2)
            #expect(try replica.read { try $0.unsyncedChangeCount() } == 3)
            let pending = try replica.pendingRecords(limit: 10)
            #expect(pending.count == 2)
            #expect(try replica.pendingRecords(limit: 1).count == 1)

            // A record written again after it was read for pushing stays pending.
            try replica.write { tx in try tx.update(member, id: first.id, ["center": .text("沙头")]) }
            try replica.acknowledge(pending)
            #expect(try replica.pendingRecordCount() == 1)
            #expect(try replica.pendingRecords(limit: 10).map(\.state.id) == [first.id])
            #expect(try replica.read { try $0.unsyncedChangeCount() } == 4)

            try replica.acknowledge(try replica.pendingRecords(limit: 10))
            #expect(try replica.pendingRecordCount() == 0)
            #expect(try replica.read { try $0.unsyncedChangeCount() } == 0)
        }
    }

    /// A push pass reads pages from successive positions while earlier pages are in flight:
    /// pages must not overlap, must cover every pending record of every type once, and a
    /// record written again behind the pass stays pending for the next one.
    @Test func pendingPagesFromSuccessivePositionsCoverEachRecordOnce() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let activity = HearthSchema.activity
            let (members, activities) = try replica.write { tx in
                let members = try (0..<7).map { try tx.insert(member, ["name": .text("会员\($0)")]) }
                let activities = try (0..<3).map { number in
                    try tx.insert(
                        activity,
                        [
                            "title": .text("活动\(number)"), "kind": .text("training"),
                            "startsAt": .text("2026-03-08T09:00+08:00"),
                        ])
                }
                return (members, activities)
            }
            var position = PendingPosition.start
            var seen: [String] = []
            var pages = 0
            while true {
                let (records, next) = try replica.pendingRecords(after: position, limit: 3)
                if records.isEmpty { break }
                pages += 1
                seen += records.map(\.state.id)
                position = next
                if pages == 1 {
                    // Written again behind the pass: this pass must not send it twice.
                    try replica.write { tx in try tx.update(member, id: members[0].id, ["center": .text("沙头")]) }
                }
            }
            #expect(pages == 4)
            #expect(seen.count == 10)
            #expect(Set(seen) == Set((members + activities).map(\.id)))
            #expect(Array(seen.prefix(7)) == members.map(\.id), "referenced types first, in write order")
            #expect(try replica.pendingRecords(after: position, limit: 3).records.isEmpty)
        }
    }

    @Test func serverRoleWritesAreNeverPending() throws {
        try withScratch { scratch in
            let server = try scratch.replica("总工会", role: .server)
            #expect(server.role == .server)
            try server.write { tx in try tx.insert(member, ["name": .text("张三")]) }
            #expect(try server.pendingRecordCount() == 0)
        }
    }

    @Test func keptDigestEqualsTheRecomputedDigestAfterManyWrites() throws {
        for seed in TestSeeds.cases(8) {
            try withScratch { scratch in
                var rng = SeededGenerator(seed: seed)
                let replica = try scratch.replica("沙头服务中心")
                let other = try scratch.replica("志愿者-2")
                var ids: [String] = []
                for step in 0..<60 {
                    let actor = Bool.random(using: &rng) ? replica : other
                    try actor.write { tx in
                        let live = try ids.filter { try tx.record(member, id: $0).map { !$0.isDeleted } ?? false }
                        switch Int.random(in: 0..<10, using: &rng) {
                        case 0..<3,
                            _ where live.isEmpty:
                            let id = recordID(ids.count + 1)
                            ids.append(id)
                            try tx.write(member, id: id, ["name": .text("会员\(step)")], mustExist: false)
                        case 3..<8:
                            let field = ["phone", "notes", "name"].randomElement(using: &rng)!
                            let value: FieldValue =
                                field == "name" || Bool.random(using: &rng) ? .text("1380000\(step)") : .null
                            try tx.update(member, id: live.randomElement(using: &rng)!, [field: value])
                        default:
                            try tx.delete(member, id: live.randomElement(using: &rng)!)
                        }
                    }
                    if Int.random(in: 0..<4, using: &rng) == 0 {
                        try actor.sendPending(to: actor === replica ? other : replica)
                    }
                }
                try replica.exchangeUntilSettled(with: other)
                for r in [replica, other] {
                    let (kept, recomputed, loaded) = try r.read { reader in
                        (try reader.digest(), try reader.recomputedDigest(), try reader.digestOfLoadedStates())
                    }
                    #expect(kept == recomputed, TestSeeds.comment(seed))
                    #expect(kept == loaded, TestSeeds.comment(seed))
                }
                #expect(try replica.digest() == other.digest(), TestSeeds.comment(seed))
            }
        }
    }

    @Test func writeReturnsExactlyTheStateThatIsStored() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let written = try replica.write { tx in
                try tx.insert(
                    activity,
                    [
                        "title": .text("塔吊司机技能比武"), "kind": .text("contest"),
                        "startsAt": .text("2026-03-08T09:00+08:00"),
                        "capacity": .integer(40), "description": .null,
                    ])
            }
            #expect(try replica.record(activity, written.id) == written)
            let hash = try replica.read { reader in
                try Data.fetchOne(reader.db, sql: "SELECT _hash FROM activity WHERE id = ?", arguments: [written.id])
            }
            #expect(hash.map(Array.init) == RecordDigest.hash(written))
        }
    }

    /// A value of the wrong kind (an integer in a text field, text in an integer field) must be
    /// refused: stored as is, SQLite's column affinity changes it, so the record reads back
    /// different from what was hashed and the digests of replicas holding it can never agree.
    @Test(arguments: [
        ("title", FieldValue.integer(5), "an integer title"),
        ("capacity", FieldValue.text("40"), "capacity as text"),
        ("kind", FieldValue.text("party"), "unknown kind"),
        ("startsAt", FieldValue.text("明天"), "unparsable start"),
    ])
    func valueOfTheWrongKindIsRefused(_ field: String, _ value: FieldValue, _ label: String) throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            var values: [String: FieldValue] = [
                "title": .text("法律讲座"), "kind": .text("legal-aid"), "startsAt": .text("2026-03-08T09:00"),
            ]
            values[field] = value
            let before = try Footprint(replica)
            var stored: RecordState?
            var written: RecordState?
            do {
                written = try replica.write { tx in try tx.insert(activity, values) }
                stored = try replica.record(activity, written!.id)
            } catch let error as ReplicaError {
                #expect(error.code == .invalidInput, "\(label)")
            }
            #expect(written == nil, "\(label) was accepted")
            if let written {
                // Accepted, it must at least read back as written, else its hash no longer matches it.
                #expect(stored == written, "\(label) reads back as \(stored.map { "\($0.shownValues)" } ?? "nothing")")
            } else {
                #expect(try Footprint(replica) == before)
            }
        }
    }
}
