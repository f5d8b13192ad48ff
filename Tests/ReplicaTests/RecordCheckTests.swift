import Foundation
import GRDB
import Replica
import SyncCore
import Testing

/// `hearth check` re-reads and re-hashes every record: a row changed outside Hearth (raw SQL on
/// a value column or on the sync metadata) must show, although its stored `_hash` is untouched.
@Suite("Record check")
struct RecordCheckTests {
    let member = HearthSchema.member

    func replicaWithTwoMembers(_ scratch: Scratch) throws -> (Replica, String) {
        let replica = try scratch.replica("沙头服务中心")
        let zhang = try replica.write { tx in
            try tx.insert(member, ["name": .text("张三"), "phone": .text("13800138000")])
        }
        try replica.write { tx in try tx.insert(member, ["name": .text("李四")]) }
        let check = try replica.read { try $0.checkRecords() }
        #expect(check.isSound && check.records == 2)
        #expect(check.digest == (try replica.digest()))
        return (replica, zhang.id)
    }

    func tamper(_ replica: Replica, _ sql: String, id: String) throws {
        try replica.write { tx in try tx.db.execute(sql: sql, arguments: [id]) }
    }

    @Test func aValueChangedWithRawSQLIsDetected() throws {
        try withScratch { scratch in
            let (replica, id) = try replicaWithTwoMembers(scratch)
            try tamper(replica, "UPDATE member SET name = '王五' WHERE id = ?", id: id)
            let check = try replica.read { try $0.checkRecords() }
            #expect(check.mismatched == 1)
            #expect(!check.isSound)
            #expect(try replica.read { try $0.recomputedDigest() } != replica.digest())
        }
    }

    @Test func syncMetadataChangedWithRawSQLIsDetected() throws {
        try withScratch { scratch in
            let (replica, id) = try replicaWithTwoMembers(scratch)
            let wall = String(Scratch.fixedClock)
            try tamper(
                replica,
                "UPDATE member SET _meta = replace(_meta, '\(wall)', '\(Scratch.fixedClock + 1)') WHERE id = ?",
                id: id)
            let check = try replica.read { try $0.checkRecords() }
            #expect(check.mismatched == 1)
            #expect(try replica.read { try $0.recomputedDigest() } != replica.digest())
        }
    }

    @Test func unreadableSyncMetadataIsCountedNotThrown() throws {
        try withScratch { scratch in
            let (replica, id) = try replicaWithTwoMembers(scratch)
            try tamper(replica, "UPDATE member SET _meta = 'x|y|z' WHERE id = ?", id: id)
            let check = try replica.read { try $0.checkRecords() }
            #expect(check.unreadable == 1)
            #expect(!check.isSound)
            #expect(check.digest != (try replica.digest()))
        }
    }
}
