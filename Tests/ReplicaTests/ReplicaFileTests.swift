import Foundation
import GRDB
import SyncCore
import Testing

@testable import Replica

@Suite("Replica file")
struct ReplicaFileTests {
    @Test func createMakesAFileOnlyItsOwnerCanReadAndWrite() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            #expect(try scratch.permissions(replica.path) == 0o600)
            try replica.write { tx in
                try tx.insert(HearthSchema.member, ["name": .text("张三"), "phone": .text("13800138000")])
            }
            // SQLite gives its side files the main file's mode.
            for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: replica.path + suffix) {
                #expect(try scratch.permissions(replica.path + suffix) == 0o600, "\(suffix)")
            }
        }
    }

    @Test func createStoresTheNodeIdentity() throws {
        try withScratch { scratch in
            let node = NodeID.fixed(42)
            let replica = try scratch.replica("  沙头服务中心 ", nodeID: node)
            #expect(replica.nodeID == node)
            #expect(replica.role == .node)
            #expect(try replica.read { try $0.nodeName() } == "沙头服务中心")
            #expect(try replica.read { try $0.nodeNames() } == [node: "沙头服务中心"])
            #expect(try replica.digest() == ReplicaDigest())
            #expect(try replica.read { try $0.changeLog() }.isEmpty)
        }
    }

    @Test func createRefusesAnExistingReplicaAndLeavesItUntouched() throws {
        try withScratch { scratch in
            let first = try scratch.replica("沙头服务中心", nodeID: .fixed(1))
            try first.write { tx in try tx.insert(HearthSchema.member, ["name": .text("张三")]) }
            try first.close()
            let before = try scratch.bytes(first.path)
            let error = #expect(throws: ReplicaError.self) {
                try Replica.create(at: first.path, name: "另一个节点", nodeID: .fixed(2))
            }
            #expect(error?.code == .alreadyExists)
            #expect(try scratch.bytes(first.path) == before)
            let reopened = scratch.track(try Replica.open(at: first.path))
            #expect(reopened.nodeID == .fixed(1))
            #expect(try reopened.read { try $0.count(HearthSchema.member) } == 1)
        }
    }

    @Test func createRefusesAnyExistingFileAndLeavesItUntouched() throws {
        try withScratch { scratch in
            let path = scratch.path("notes.txt")
            let content = Data("会员名单，不是数据库\n".utf8)
            try content.write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: ReplicaError.self) { try Replica.create(at: path, name: "沙头服务中心") }
            #expect(error?.code == .alreadyExists)
            #expect(try scratch.bytes(path) == content)
        }
    }

    @Test func createRefusesAnEmptyNameAndLeavesNoFile() throws {
        try withScratch { scratch in
            let path = scratch.path("empty-name.hearth")
            let error = #expect(throws: ReplicaError.self) { try Replica.create(at: path, name: " \n ") }
            #expect(error?.code == .invalidInput)
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func openOfAMissingFileAsksForInitAndCreatesNothing() throws {
        try withScratch { scratch in
            let path = scratch.path("missing.hearth")
            let error = #expect(throws: ReplicaError.self) { try Replica.open(at: path) }
            #expect(error?.code == .notInitialized)
            #expect(error?.message.contains("hearth init") == true)
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func reopeningKeepsIdentityRecordsCounterAndDigest() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心", nodeID: .fixed(7))
            let member = try replica.write { tx in
                try tx.insert(HearthSchema.member, ["name": .text("张三")])
            }
            let digest = try replica.digest()
            try replica.close()
            let reopened = scratch.track(try Replica.open(at: replica.path, wallClock: { Scratch.fixedClock }))
            #expect(reopened.nodeID == .fixed(7))
            #expect(try reopened.record(HearthSchema.member, member.id) == member)
            #expect(try reopened.digest() == digest)
            let next = try reopened.write { tx in
                try tx.update(HearthSchema.member, id: member.id, ["phone": .text("13800138000")])
            }
            #expect(next.fields["phone"]?.shown.dot == Dot(node: .fixed(7), counter: 2))
        }
    }

    /// Closes a fresh replica with one member and marks it as written by schema 99.
    func replicaFromTheFuture(_ scratch: Scratch) throws -> String {
        let replica = try scratch.replica("沙头服务中心")
        try replica.write { tx in try tx.insert(HearthSchema.member, ["name": .text("张三")]) }
        try replica.close()
        let queue = try DatabaseQueue(path: replica.path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA user_version = 99") }
        try queue.close()
        return replica.path
    }

    @Test func openRefusesASchemaFromANewerHearthAndChangesNothing() throws {
        try withScratch { scratch in
            let path = try replicaFromTheFuture(scratch)
            let before = try scratch.bytes(path)
            let error = #expect(throws: ReplicaError.self) { try Replica.open(at: path) }
            #expect(error?.code == .schemaTooNew)
            #expect(error?.message.contains("newer Hearth") == true)
            #expect(error?.message.contains("schema 99") == true)
            #expect(try scratch.bytes(path) == before)
            // Asking again gives the same answer: the first refusal changed nothing that matters.
            let again = #expect(throws: ReplicaError.self) { try Replica.open(at: path) }
            #expect(again?.code == .schemaTooNew)
            #expect(try scratch.bytes(path) == before)
            let version = try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
            #expect(version == 99)
        }
    }

    /// "Touches nothing" includes the directory: the read-only schema check opens the WAL-mode
    /// file through SQLite, which creates `-wal` and `-shm` beside it.
    @Test func refusedOpenLeavesNoSideFilesBehind() throws {
        try withScratch { scratch in
            let path = try replicaFromTheFuture(scratch)
            let filesBefore = try FileManager.default.contentsOfDirectory(atPath: scratch.directory.path).sorted()
            #expect(throws: ReplicaError.self) { try Replica.open(at: path) }
            let filesAfter = try FileManager.default.contentsOfDirectory(atPath: scratch.directory.path).sorted()
            #expect(filesAfter == filesBefore)
        }
    }

    @Test func openRefusesAFileThatIsNotADatabaseAndChangesNothing() throws {
        try withScratch { scratch in
            let path = scratch.path("members.csv")
            let content = Data("\u{FEFF}姓名,电话\n张三,13800138000\n".utf8)
            try content.write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: ReplicaError.self) { try Replica.open(at: path) }
            #expect(error?.code == .storage)
            #expect(try scratch.bytes(path) == content)
        }
    }
}

@Suite("Replica file: interrupted init")
struct ReplicaInitAtomicityTests {
    /// At every point where `hearth init` could be killed, the path holds either nothing or a
    /// complete replica with its identity: never a half-made file that later reads as damaged.
    @Test func initKilledAtAnyStepLeavesNothingOrAUsableReplica() throws {
        try withScratch { scratch in
            let path = scratch.path("沙头.hearth")
            var steps = 0
            let replica = try Replica.create(
                at: path, name: "沙头服务中心", nodeID: .fixed(3), role: .node, catalog: .hearth,
                wallClock: { Scratch.fixedClock }
            ) { written in
                steps += 1
                if written != path {
                    #expect(!FileManager.default.fileExists(atPath: path), "step \(steps)")
                    #expect(written.hasPrefix(path + ".init-"))
                    #expect(try scratch.permissions(written) == 0o600)
                } else {
                    // What a second process would see the moment the file appears.
                    let other = try Replica.open(at: path)
                    #expect(other.nodeID == .fixed(3))
                    try other.close()
                }
            }
            scratch.track(replica)
            #expect(steps >= 3)
            #expect(try scratch.permissions(path) == 0o600)
            #expect(try replica.read { try $0.nodeName() } == "沙头服务中心")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.directory.path)
                .filter { $0.contains(".init-") }
            #expect(leftovers == [])
        }
    }

    @Test func initThatFailsHalfWayLeavesNoFileBehind() throws {
        struct Killed: Error {}
        try withScratch { scratch in
            let path = scratch.path("沙头.hearth")
            for stop in 1...3 {
                var step = 0
                #expect(throws: ReplicaError.self) {
                    try Replica.create(
                        at: path, name: "沙头服务中心", nodeID: .fixed(3), role: .node, catalog: .hearth,
                        wallClock: { Scratch.fixedClock }
                    ) { _ in
                        step += 1
                        if step == stop { throw Killed() }
                    }
                }
                let left = try FileManager.default.contentsOfDirectory(atPath: scratch.directory.path)
                #expect(left == [], "stopped at step \(stop)")
            }
        }
    }

    /// Two `hearth init` at once on one path: one wins, the other is refused, nothing is overwritten.
    @Test func initRacingAnotherInitNeverOverwritesIt() throws {
        try withScratch { scratch in
            let path = scratch.path("沙头.hearth")
            var first: Replica?
            let error = #expect(throws: ReplicaError.self) {
                try Replica.create(
                    at: path, name: "志愿者-2", nodeID: .fixed(2), role: .node, catalog: .hearth,
                    wallClock: { Scratch.fixedClock }
                ) { written in
                    if written != path, first == nil {
                        first = try Replica.create(at: path, name: "沙头服务中心", nodeID: .fixed(1))
                    }
                }
            }
            #expect(error?.code == .alreadyExists)
            let winner = try #require(first)
            scratch.track(winner)
            #expect(winner.nodeID == .fixed(1))
            let reopened = scratch.track(try Replica.open(at: path))
            #expect(reopened.nodeID == .fixed(1))
        }
    }
}
