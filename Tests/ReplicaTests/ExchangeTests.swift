import Foundation
import HearthTestSupport
import Replica
import SyncCore
import Testing

@Suite("Exchanging states between replicas")
struct ExchangeTests {
    let member = HearthSchema.member
    let activity = HearthSchema.activity

    /// Two replicas with fixed identities and clocks, holding the same records after the same
    /// writes, so replicas built twice end with identical states.
    func makePair(_ scratch: Scratch) throws -> (Replica, Replica) {
        let a = try scratch.replica("沙头服务中心", nodeID: .fixed(1))
        let b = try scratch.replica("志愿者-2", nodeID: .fixed(2), clock: Scratch.fixedClock + 60_000)
        try a.write { tx in
            try tx.write(
                member, id: recordID(1), ["name": .text("张三"), "phone": .text("13800138000")], mustExist: false)
            try tx.write(member, id: recordID(2), ["name": .text("李四")], mustExist: false)
            try tx.write(
                activity, id: recordID(10),
                [
                    "title": .text("新春年夜饭"), "kind": .text("holiday"), "startsAt": .text("2026-02-16T18:00"),
                    "capacity": .integer(300),
                ], mustExist: false)
        }
        try a.sendPending(to: b)
        // Offline on both sides: same field, different fields, delete versus edit, new records.
        try a.write { tx in
            try tx.update(member, id: recordID(1), ["phone": .text("13911112222")])
            try tx.delete(member, id: recordID(2))
            try tx.update(activity, id: recordID(10), ["capacity": .integer(320)])
            try Roster(tx).register(member: recordID(1), activity: recordID(10))
        }
        try b.write { tx in
            try tx.update(member, id: recordID(1), ["phone": .text("13633334444"), "employer": .text("宝安建筑")])
            try tx.update(member, id: recordID(2), ["notes": .text("已返乡")])
            try tx.update(activity, id: recordID(10), ["capacity": .integer(280), "location": .text("职工之家")])
            try tx.write(member, id: recordID(3), ["name": .text("王小明")], mustExist: false)
            try Roster(tx).register(member: recordID(1), activity: recordID(10))
        }
        return (a, b)
    }

    func expectConverged(_ replicas: [Replica], _ comment: Comment? = nil) throws {
        let digests = try replicas.map { try $0.digest() }
        #expect(Set(digests).count == 1, comment)
        for replica in replicas {
            let (recomputed, loaded) = try replica.read { (try $0.recomputedDigest(), try $0.digestOfLoadedStates()) }
            #expect(recomputed == digests[0], comment)
            #expect(loaded == digests[0], comment)
        }
        let states = try replicas.map { try $0.read { try $0.allStates() } }
        #expect(states.allSatisfy { $0 == states[0] }, comment)
        let conflicts = try replicas.map { try $0.conflictIDs() }
        #expect(conflicts.allSatisfy { $0 == conflicts[0] }, comment)
    }

    @Test func replicasExchangingInDifferentOrdersEndWithEqualDigests() throws {
        try withScratch { scratch in
            let (a1, b1) = try makePair(scratch)
            try a1.sendPending(to: b1)
            try b1.sendPending(to: a1)
            try a1.exchangeUntilSettled(with: b1)

            let (a2, b2) = try makePair(scratch)
            try b2.sendPending(to: a2)
            try a2.sendPending(to: b2)
            try b2.exchangeUntilSettled(with: a2)

            try expectConverged([a1, b1, a2, b2])
            #expect(try a1.conflictIDs().count == 3)  // phone, capacity and the delete of 李四
        }
    }

    @Test func duplicatedAndReorderedDeliveriesChangeNothing() throws {
        try withScratch { scratch in
            let (a, b) = try makePair(scratch)
            let fromA = try a.pendingRecords(limit: 100).map(\.state)
            let fromB = try b.pendingRecords(limit: 100).map(\.state)
            try b.write { tx in for state in (fromA + fromA).reversed() { try tx.apply(state, from: .upstream) } }
            try a.write { tx in for state in fromB + fromB.reversed() { try tx.apply(state, from: .upstream) } }
            // The states each already had, delivered again afterwards, are already known.
            let late = try b.write { tx in try fromA.map { try tx.apply($0, from: .upstream).outcome } }
            #expect(late.allSatisfy { $0 == .alreadyKnown })
            try expectConverged([a, b])
        }
    }

    @Test func mergedStatesKeepEveryConcurrentVersionThroughStorage() throws {
        try withScratch { scratch in
            let (a, b) = try makePair(scratch)
            try a.exchangeUntilSettled(with: b)
            let person = try #require(try b.record(member, recordID(1)))
            #expect(person.conflictedFields == ["phone"])
            #expect(
                person.fields["phone"]?.versions.map(\.value).sorted { $0.description < $1.description }
                    == [.text("13633334444"), .text("13911112222")])
            #expect(person.value("employer") == .text("宝安建筑"))
            let event = try #require(try a.record(activity, recordID(10)))
            #expect(event.conflictedFields == ["capacity"])
            #expect(Set(event.fields["capacity"]!.versions.map(\.value)) == [.integer(320), .integer(280)])
            #expect(event.value("location") == .text("职工之家"))
            // Wall times are stored per version and read back as written.
            #expect(
                Set(event.fields["capacity"]!.versions.map(\.wallTime)) == [
                    Scratch.fixedClock, Scratch.fixedClock + 60_000,
                ])
            let deleted = try #require(try a.record(member, recordID(2)))
            #expect(!deleted.isDeleted)
            #expect(deleted.conflictedFields == [RecordState.lifecycleField])
        }
    }

    @Test func randomWritesAndDeliveriesConverge() throws {
        for seed in TestSeeds.cases(12) {
            try withScratch { scratch in
                var rng = SeededGenerator(seed: seed)
                let replicas = [
                    try scratch.replica("沙头服务中心", nodeID: .fixed(1)),
                    try scratch.replica("志愿者-2", nodeID: .fixed(2), clock: 1),
                    try scratch.replica("工业园服务站", nodeID: .fixed(3), clock: 9_000_000_000_000),
                ]
                for step in 0..<40 {
                    let actor = replicas.randomElement(using: &rng)!
                    if Int.random(in: 0..<3, using: &rng) == 0 {
                        // Deliver a random, shuffled, partly duplicated selection of current states.
                        let target = replicas.filter { $0 !== actor }.randomElement(using: &rng)!
                        let states = try actor.read { try $0.allStates() }.filter { _ in Bool.random(using: &rng) }
                        let delivery = (states + states.prefix(2)).shuffled(using: &rng)
                        try target.write { tx in for state in delivery { try tx.apply(state, from: .upstream) } }
                        continue
                    }
                    let id = recordID(Int.random(in: 1...4, using: &rng))
                    try actor.write { tx in
                        let current = try tx.record(member, id: id)
                        switch (current, Int.random(in: 0..<4, using: &rng)) {
                        case (nil, _),
                            (.some(_), 0) where current?.isDeleted ?? true:
                            try tx.write(member, id: id, ["name": .text("会员\(step)")], mustExist: false)
                        case (.some(let state), 0) where !state.isDeleted:
                            try tx.delete(member, id: id)
                        case (.some(let state), _) where !state.isDeleted:
                            let field = ["phone", "notes", "name"].randomElement(using: &rng)!
                            try tx.update(
                                member, id: id, [field: .text("1380000\(Int.random(in: 0..<3, using: &rng))")])
                        default:
                            // Re-creating a deleted member: the delete erased its name, so it is given again.
                            try tx.write(
                                member, id: id, ["name": .text("会员\(step)"), "notes": .text("重新登记")],
                                mustExist: false)
                        }
                    }
                }
                // Final full exchange: everyone sends everything to everyone until nothing changes.
                for _ in 0..<3 {
                    for source in replicas {
                        let states = try source.read { try $0.allStates() }
                        for target in replicas where target !== source {
                            try target.write { tx in for state in states { try tx.apply(state, from: .upstream) } }
                        }
                    }
                }
                try expectConverged(replicas, TestSeeds.comment(seed))
            }
        }
    }
}

@Suite("Checks on incoming states")
struct IncomingStateTests {
    let member = HearthSchema.member
    let node = NodeID.fixed(5)

    func incoming(_ values: [String: FieldValue], counter: UInt64 = 1) -> RecordState {
        RecordState(type: "member", id: recordID(1)).applyingLocalWrite(
            values, dot: Dot(node: node, counter: counter), wallTime: 0)
    }

    @Test func applyReportsEachOutcome() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let first = incoming(["name": .text("张三")])
            let second = first.applyingLocalWrite(
                ["phone": .text("13800138000")], dot: Dot(node: node, counter: 2), wallTime: 0)
            let outcomes = try replica.write { tx in
                [
                    try tx.apply(first, from: .upstream).outcome,
                    try tx.apply(first, from: .upstream).outcome,
                    try tx.apply(second, from: .upstream).outcome,
                    try tx.apply(first, from: .upstream).outcome,
                ]
            }
            #expect(outcomes == [.created, .alreadyKnown, .fastForward, .alreadyKnown])
            let local = try replica.write { tx in try tx.update(member, id: recordID(1), ["notes": .text("本地")]) }
            let concurrent = second.applyingLocalWrite(
                ["employer": .text("厂")], dot: Dot(node: node, counter: 3), wallTime: 0)
            let merged = try replica.write { tx in try tx.apply(concurrent, from: .upstream) }
            #expect(merged.outcome == .merged)
            #expect(merged.state.vector == VersionVector([node: 3, replica.nodeID: local.vector[replica.nodeID]]))
            // Pulled states are not sent back upstream; a merge the upstream lacks is.
            #expect(try replica.pendingRecords(limit: 10).map(\.state) == [merged.state])
            // The change log holds only the node's own writes, never merged ones.
            #expect(try replica.read { try $0.changeLog() }.count == 1)
        }
    }

    @Test func malformedIncomingStatesAreRefusedAndChangeNothing() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let good = incoming(["name": .text("张三")])
            // A name no declaration could use (fields and types a newer release adds are kept).
            var undeclared = good
            undeclared.fields["e-mail 地址"] = good.fields["name"]
            var uncovered = good
            uncovered.vector = VersionVector([.fixed(6): 1])
            var noLifecycle = good
            noLifecycle.fields[RecordState.lifecycleField] = nil
            var badID = good
            badID.id = recordID(1).uppercased()
            let emptyVector = RecordState(type: "member", id: recordID(2), fields: good.fields)
            let unknownType = RecordState(
                type: "Certificate 证书", id: recordID(3), vector: good.vector, fields: good.fields)
            let before = try replica.digest()
            for (label, state) in [
                ("undeclared field", undeclared), ("dot not covered", uncovered), ("no lifecycle", noLifecycle),
                ("uppercase id", badID), ("empty vector", emptyVector), ("unknown type", unknownType),
            ] {
                let error = #expect(throws: ReplicaError.self, "\(label)") {
                    try replica.write { tx in try tx.apply(state, from: .upstream) }
                }
                #expect(error?.code == .invalidInput, "\(label)")
                // Names the sender chose are never echoed: only declared names reach a message.
                #expect(error?.message.contains("e-mail") == false, "\(label)")
                #expect(error?.message.contains("证书") == false, "\(label)")
            }
            #expect(try replica.digest() == before)
            #expect(try replica.read { try $0.allStates() }.isEmpty)
        }
    }

    /// The same hole as `valueOfTheWrongKindIsRefused`, reachable by any peer: an incoming
    /// integer in a text field is stored as text, so this replica's digest can never match the sender's.
    @Test func incomingValueOfTheWrongKindIsRefusedOrKeptExactly() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let state = incoming(["name": .integer(42)])
            var accepted = false
            do {
                try replica.write { tx in try tx.apply(state, from: .upstream) }
                accepted = true
            } catch let error as ReplicaError {
                #expect(error.code == .invalidInput)
            }
            if accepted {
                #expect(try replica.record(member, state.id) == state)
                #expect(try replica.read { try $0.digestOfLoadedStates() } == replica.digest())
            }
        }
    }

    /// A newer release's value an older one cannot read (another kind, a word not in its choice
    /// list) is kept exactly when pulled, so the pull never wedges, and refused when pushed.
    @Test func aPulledValueThisBuildCannotReadIsKeptExactlyAndAPushedOneIsRefused() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let state = incoming(["name": .text("张三"), "residency": .text("migrant"), "joinedOn": .integer(2026)])
            try replica.write { tx in try tx.apply(state, from: .upstream) }
            #expect(try replica.record(member, state.id) == state)
            #expect(try replica.read { try $0.checkRecords() }.mismatched == 0)
            #expect(try replica.read { try $0.keptForNewerReleaseCount() } == 1)
            let server = try scratch.replica("总工会", role: .server)
            let report = try server.applyPushedPage([state], from: node) { _ in nil }
            #expect(report.refused.map(\.reason) == [.invalid])
        }
    }

    /// A dot names exactly one write: two versions of any field under one dot are refused,
    /// whatever the field (a forged sibling would otherwise sit beside the real write forever).
    @Test func twoVersionsUnderOneDotInAnyFieldAreRefused() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let good = incoming(["name": .text("张三"), "phone": .text("13800138000")])
            let dot = Dot(node: node, counter: 1)
            for field in ["phone", "name", RecordState.lifecycleField] {
                var forged = good
                let other: FieldValue = field == RecordState.lifecycleField ? RecordState.deleted : .text("13900000000")
                forged.fields[field] = FieldState(
                    field: field,
                    versions: [good.fields[field]!.shown, FieldVersion(value: other, dot: dot, wallTime: 0)])
                let error = #expect(throws: ReplicaError.self, "\(field)") {
                    try replica.write { tx in try tx.apply(forged, from: .upstream) }
                }
                #expect(error?.code == .invalidInput, "\(field)")
                #expect(error?.message.contains("repeats a dot") == true, "\(field)")
                #expect(error?.message.contains("1390") == false, "\(field)")
            }
            #expect(try replica.read { try $0.allStates() }.isEmpty)
        }
    }

    /// One small compressed push must not store megabytes: every incoming text is held to its
    /// field's declared limit, and the refusal names type, field and limit, never the value.
    @Test func incomingTextOverTheFieldLimitIsRefused() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let name = String(repeating: "张", count: 400)
            let error = #expect(throws: ReplicaError.self) {
                try replica.write { tx in try tx.apply(incoming(["name": .text(name)]), from: .upstream) }
            }
            #expect(error?.code == .invalidInput)
            #expect(error?.message.contains("name of a member may be at most 1024 bytes") == true)
            #expect(error?.message.contains("张") == false)
            let notes = String(repeating: "备", count: 5_000)
            try replica.write { tx in
                try tx.apply(incoming(["name": .text("张三"), "notes": .text(notes)]), from: .upstream)
            }
            #expect(try replica.record(member, recordID(1))?.value("notes") == .text(notes))
        }
    }
}
