import Foundation
import Replica
import SyncCore
import Testing

@Suite("Conflicts")
struct ConflictTests {
    let member = HearthSchema.member

    /// 张三 created on A, known to B, then edited on both while offline.
    func phoneConflict(_ scratch: Scratch) throws -> (a: Replica, b: Replica, id: String) {
        let a = try scratch.replica("沙头服务中心", nodeID: .fixed(1))
        let b = try scratch.replica("志愿者-2", nodeID: .fixed(2))
        for replica in [a, b] {
            try replica.rememberNodeNames([.fixed(1): "沙头服务中心", .fixed(2): "志愿者-2"])
        }
        let created = try a.write { tx in try tx.insert(member, ["name": .text("张三"), "phone": .text("13800138000")]) }
        try a.sendPending(to: b)
        try a.write { tx in try tx.update(member, id: created.id, ["phone": .text("13911112222")]) }
        try b.write { tx in try tx.update(member, id: created.id, ["phone": .text("13633334444")]) }
        return (a, b, created.id)
    }

    @Test func concurrentEditsOfDifferentFieldsMergeWithoutConflict() throws {
        try withScratch { scratch in
            let a = try scratch.replica("沙头服务中心")
            let b = try scratch.replica("志愿者-2")
            let created = try a.write { tx in try tx.insert(member, ["name": .text("张三")]) }
            try a.sendPending(to: b)
            try a.write { tx in try tx.update(member, id: created.id, ["phone": .text("13911112222")]) }
            try b.write { tx in try tx.update(member, id: created.id, ["employer": .text("宝安建筑")]) }
            try a.exchangeUntilSettled(with: b)
            for replica in [a, b] {
                #expect(try replica.read { try $0.conflicts() }.isEmpty)
                let state = try #require(try replica.record(member, created.id))
                #expect(state.value("phone") == .text("13911112222"))
                #expect(state.value("employer") == .text("宝安建筑"))
            }
            #expect(try a.digest() == b.digest())
        }
    }

    @Test func concurrentEditsOfOneFieldAreReportedAlikeOnBothReplicas() throws {
        try withScratch { scratch in
            let (a, b, id) = try phoneConflict(scratch)
            try a.exchangeUntilSettled(with: b)
            let reportA = try #require(try a.read { try $0.conflicts() }.first)
            let reportB = try #require(try b.read { try $0.conflicts() }.first)
            #expect(try a.read { try $0.conflicts() }.count == 1)
            #expect(reportA.id == reportB.id)
            #expect(reportA.id == ConflictReport.id(type: "member", record: id, field: "phone"))
            #expect(reportA.recordType == "member" && reportA.recordID == id && reportA.field == "phone")
            #expect(reportA.recordLabel == "张三")
            #expect(reportA.shown.value == reportB.shown.value)
            #expect(reportA.shown.dot == reportB.shown.dot)
            #expect(Set(reportA.sides.map(\.value)) == [.text("13911112222"), .text("13633334444")])
            #expect(Set(reportA.sides.map(\.nodeName)) == ["沙头服务中心", "志愿者-2"])
            #expect(reportA.sides.filter(\.isLocal).map(\.value) == [.text("13911112222")])
            #expect(reportB.sides.filter(\.isLocal).map(\.value) == [.text("13633334444")])
            #expect(reportA.vector == VersionVector([.fixed(1): 2, .fixed(2): 1]))
            // The greater dot (A:2 beats B:1) is shown everywhere.
            #expect(reportA.shown.value == .text("13911112222"))
            #expect(try b.record(member, id)?.value("phone") == .text("13911112222"))
            let explanation = reportA.explanation
            #expect(explanation.contains("phone of member 张三"))
            #expect(explanation.contains("沙头服务中心") && explanation.contains("志愿者-2"))
            #expect(explanation.contains("13633334444") && explanation.contains("13911112222"))
            #expect(explanation.contains("沙头服务中心's value is shown"))
        }
    }

    @Test func resolvingKeepsTheChosenValueAndClosesTheConflictEverywhere() throws {
        try withScratch { scratch in
            let (a, b, id) = try phoneConflict(scratch)
            try a.exchangeUntilSettled(with: b)
            let report = try b.read { try $0.conflicts() }[0]
            let resolved = try b.write { tx in try tx.resolve(report, .keepLocal) }
            #expect(resolved.value("phone") == .text("13633334444"))
            #expect(resolved.conflictedFields.isEmpty)
            #expect(try b.read { try $0.conflicts() }.isEmpty)
            try b.exchangeUntilSettled(with: a)
            for replica in [a, b] {
                #expect(try replica.read { try $0.conflicts() }.isEmpty)
                #expect(try replica.record(member, id)?.value("phone") == .text("13633334444"))
            }
            #expect(try a.digest() == b.digest())
        }
    }

    @Test func resolvingWithKeepRemoteAndWithANewValue() throws {
        try withScratch { scratch in
            let (a, b, id) = try phoneConflict(scratch)
            try a.exchangeUntilSettled(with: b)
            let report = try a.read { try $0.conflict(String(try $0.conflicts()[0].id.prefix(6))) }
            let remote = try a.write { tx in try tx.resolve(report, .keepRemote) }
            #expect(remote.value("phone") == .text("13633334444"))

            // A fresh conflict, settled with a typed value that must pass the field's rules.
            try b.write { tx in try tx.update(member, id: id, ["phone": .text("13700000000")]) }
            try a.write { tx in try tx.update(member, id: id, ["phone": .text("13500000000")]) }
            try a.exchangeUntilSettled(with: b)
            let again = try #require(try a.read { try $0.conflicts() }.first)
            let bad = #expect(throws: ReplicaError.self) {
                try a.write { tx in try tx.resolve(again, .value("call 张三")) }
            }
            #expect(bad?.code == .invalidInput)
            #expect(try a.read { try $0.conflicts() }.count == 1)
            try a.write { tx in try tx.resolve(again, .value(" 0755-1234 5678 ")) }
            try a.exchangeUntilSettled(with: b)
            for replica in [a, b] {
                #expect(try replica.read { try $0.conflicts() }.isEmpty)
                #expect(try replica.record(member, id)?.value("phone") == .text("0755-1234 5678"))
            }
        }
    }

    @Test func unknownOrAmbiguousConflictIDsAreRefused() throws {
        try withScratch { scratch in
            let (a, _, _) = try phoneConflict(scratch)
            let missing = #expect(throws: ReplicaError.self) { try a.read { try $0.conflict("ffffffffffff") } }
            #expect(missing?.code == .notFound)
            let empty = #expect(throws: ReplicaError.self) { try a.read { try $0.conflict("") } }
            #expect(empty?.code == .notFound)
        }
    }

    @Test func deleteVersusConcurrentEditKeepsTheRecordAndRecordsAConflict() throws {
        try withScratch { scratch in
            let a = try scratch.replica("沙头服务中心", nodeID: .fixed(1))
            let b = try scratch.replica("志愿者-2", nodeID: .fixed(2))
            for replica in [a, b] { try replica.rememberNodeNames([.fixed(1): "沙头服务中心", .fixed(2): "志愿者-2"]) }
            let created = try a.write { tx in try tx.insert(member, ["name": .text("张三")]) }
            try a.sendPending(to: b)
            try a.write { tx in try tx.delete(member, id: created.id) }
            try b.write { tx in try tx.update(member, id: created.id, ["phone": .text("13633334444")]) }
            try a.exchangeUntilSettled(with: b)
            for replica in [a, b] {
                let live = try replica.read { try $0.list(member) }
                #expect(live.map(\.id) == [created.id])
                #expect(live.first?["phone"] == .text("13633334444"))
                let report = try #require(try replica.read { try $0.conflicts() }.first)
                #expect(report.field == RecordState.lifecycleField)
                #expect(report.shown.value == RecordState.alive)
                #expect(report.explanation.contains("deleted at 沙头服务中心"))
                #expect(report.explanation.contains("edited at 志愿者-2"))
            }
            // Staff delete it again deliberately: the delete now dominates and syncs everywhere.
            let report = try a.read { try $0.conflicts()[0] }
            let valueRefused = #expect(throws: ReplicaError.self) {
                try a.write { tx in try tx.resolve(report, .value("1")) }
            }
            #expect(valueRefused?.code == .invalidInput)
            try a.write { tx in try tx.resolve(report, .keepLocal) }
            try a.exchangeUntilSettled(with: b)
            for replica in [a, b] {
                #expect(try replica.read { try $0.conflicts() }.isEmpty)
                #expect(try replica.read { try $0.count(member) } == 0)
                #expect(try replica.record(member, created.id)?.isDeleted == true)
            }
        }
    }

    /// A conflict on a field of a record that is deleted afterwards is nobody's work: it leaves
    /// the list and the index on every replica, and resolving a stale report of it is refused
    /// (resolving would write the field and bring the deleted member back everywhere).
    @Test func aDeletedRecordsFieldConflictsAreClosedWithItAndCannotResurrectIt() throws {
        try withScratch { scratch in
            let (a, b, id) = try phoneConflict(scratch)
            try a.exchangeUntilSettled(with: b)
            let stale = try #require(try b.read { try $0.conflicts() }.first)
            #expect(stale.field == "phone")
            try a.write { tx in try tx.delete(member, id: id) }
            try a.exchangeUntilSettled(with: b)
            for replica in [a, b] {
                let state = try #require(try replica.record(member, id))
                #expect(state.isDeleted)
                // The versions stay in the replicated state, erased: nothing is left to disagree on.
                #expect(state.fields["phone"]?.versions.count == 2)
                #expect(state.conflictedFields.isEmpty)
                #expect(state.isErasedTombstone())
                #expect(try replica.read { try $0.conflicts() }.isEmpty)
                #expect(try replica.read { try $0.openConflictCount() } == 0)
                #expect(try replica.read { try $0.count(table: "open_conflict") } == 0)
            }
            #expect(try a.digest() == b.digest())
            let digest = try b.digest()
            let changesBefore = try b.read { try $0.changeLog().count }
            let lookedUp = #expect(throws: ReplicaError.self) { try b.read { try $0.conflict(stale.id) } }
            #expect(lookedUp?.code == .notFound)
            #expect(lookedUp?.message.contains("deleted record") == true)
            for resolution in [ConflictResolution.keepLocal, .keepRemote, .value("13700000000")] {
                let refused = #expect(throws: ReplicaError.self) {
                    try b.write { tx in try tx.resolve(stale, resolution) }
                }
                #expect(refused?.code == .refused)
                #expect(refused?.message.contains("deleted") == true)
                #expect(refused?.message.contains("1363") == false, "never quotes a value")
            }
            #expect(try b.record(member, id)?.isDeleted == true)
            #expect(try b.digest() == digest)
            #expect(try b.read { try $0.changeLog().count } == changesBefore)
        }
    }

    /// The fixed scenario of issue 4: X creates and edits twice, Y and Z edit the phone while
    /// offline, all sync through the server; X resolves; all sync again.
    @Test func threeNodesThroughAServerAgreeOnTheConflictAndItsResolution() throws {
        try withScratch { scratch in
            let server = try scratch.replica("总工会", nodeID: .fixed(9), role: .server)
            let x = try scratch.replica("沙头服务中心", nodeID: .fixed(1))
            let y = try scratch.replica("工业园服务站", nodeID: .fixed(2))
            let z = try scratch.replica("志愿者-2", nodeID: .fixed(3))
            let nodes = [x, y, z]
            func syncAll() throws {
                for _ in 0..<2 {
                    for node in nodes {
                        try node.push(to: server)
                        try node.pull(from: server)
                    }
                }
            }
            let created = try x.write { tx in try tx.insert(member, ["name": .text("张三")]) }
            try x.write { tx in try tx.update(member, id: created.id, ["phone": .text("13800138000")]) }
            try x.write { tx in try tx.update(member, id: created.id, ["employer": .text("宝安建筑")]) }
            try syncAll()
            try y.write { tx in try tx.update(member, id: created.id, ["phone": .text("13911112222")]) }
            try z.write { tx in try tx.update(member, id: created.id, ["phone": .text("13633334444")]) }
            try syncAll()

            for replica in nodes + [server] {
                let state = try #require(try replica.record(member, created.id))
                #expect(state.vector == VersionVector([.fixed(1): 3, .fixed(2): 1, .fixed(3): 1]))
                #expect(state.value("phone") == .text("13633334444"))  // Z's dot wins the tie on node id
                let reports = try replica.read { try $0.conflicts() }
                #expect(reports.count == 1)
                #expect(Set(reports.first?.sides.map(\.nodeName) ?? []) == ["工业园服务站", "志愿者-2"])
                #expect(try replica.digest() == server.digest())
            }

            let report = try x.read { try $0.conflicts()[0] }
            try x.write { tx in try tx.resolve(report, .value("13911112222")) }
            try syncAll()
            for replica in nodes + [server] {
                #expect(try replica.read { try $0.conflicts() }.isEmpty)
                #expect(try replica.record(member, created.id)?.value("phone") == .text("13911112222"))
                #expect(try replica.digest() == server.digest())
                #expect(try replica.read { try $0.recomputedDigest() } == server.digest())
            }
        }
    }

    /// An older release keeps records of types it does not declare, and their conflicts are
    /// open on it as on every replica: listing conflicts there must show them (it cannot show
    /// their record), not fail as a whole, including on a replica just reopened.
    @Test func anOlderReplicaListsAConflictOnARecordTypeItKeepsForANewerRelease() throws {
        try withScratch { scratch in
            let legalCase = HearthSchema.assistanceCase
            let a = try scratch.replica("沙头服务中心", nodeID: .fixed(1))
            let b = try scratch.replica("志愿者-2", nodeID: .fixed(2))
            let olderCatalog = RecordCatalog([member, HearthSchema.activity, HearthSchema.participation], version: 1)
            let path = scratch.path("older.hearth")
            let older = scratch.track(try Replica.create(at: path, name: "村联合会", catalog: olderCatalog))
            let opened = try a.write { tx in
                try tx.write(
                    legalCase, id: UUIDText.random(),
                    ["kind": .text("legal-aid"), "openedOn": .text("2026-01-12"), "status": .text("open")],
                    mustExist: false)
            }
            try a.sendPending(to: b)
            try a.write { tx in try tx.update(legalCase, id: opened.id, ["notes": .text("已联系企业")]) }
            try b.write { tx in try tx.update(legalCase, id: opened.id, ["notes": .text("等待仲裁")]) }
            try a.sendPending(to: older)
            try b.sendPending(to: older)
            #expect(try older.read { try $0.keptForNewerReleaseCount() } == 1)

            let listed = try older.read { try $0.conflicts() }
            #expect(listed.map(\.recordType) == [legalCase.name])
            #expect(listed.map(\.field) == ["notes"])
            #expect(listed.first?.sides.count == 2)
            #expect(try older.read { try $0.openConflictCount() } == 1)
            try older.close()
            let reopened = scratch.track(try Replica.open(at: path, catalog: olderCatalog))
            #expect(try reopened.read { try $0.conflicts() }.map(\.field) == ["notes"])
        }
    }
}
