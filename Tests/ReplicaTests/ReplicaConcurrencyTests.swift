import Dispatch
import Foundation
import GRDB
import SyncCore
import Synchronization
import Testing

@testable import Replica

/// Several `hearth` processes on one replica is normal use: each is a `Replica` of its own here,
/// with its own connections, on one file, running at the same time.
@Suite("Replica under concurrent use")
struct ReplicaConcurrencyTests {
    /// Writers open, write and close while readers open, read and close the same file again and
    /// again (closing the last connection checkpoints and removes the WAL, as a `hearth` command
    /// does when it exits). Every open must succeed: waiting for a lock is not damage.
    @Test func openWhileOthersWriteAndCheckpointNeverReportsDamage() throws {
        try withScratch { scratch in
            let seed = try scratch.replica("沙头服务中心")
            let path = seed.path
            try seed.close()
            let failures = FailureLog()
            let writers = 2
            let readers = 4
            // Threads of their own (not `concurrentPerform`, which runs no more at once than
            // there are cores): every worker really runs at the same time as the others.
            let group = DispatchGroup()
            for worker in 0..<(writers + readers) {
                group.enter()
                Thread {
                    defer { group.leave() }
                    do {
                        if worker < writers {
                            // Like `hearth member add` run again and again: open, write, close (the
                            // close that finds no other connection checkpoints and removes the WAL).
                            for round in 0..<40 {
                                let replica = try Replica.open(at: path)
                                for member in 0..<2 {
                                    try replica.write { tx in
                                        try tx.insert(
                                            HearthSchema.member, ["name": .text("会员\(worker)-\(round)-\(member)")])
                                    }
                                }
                                try replica.close()
                            }
                        } else {
                            for _ in 0..<80 {
                                let replica = try Replica.open(at: path)
                                _ = try replica.read { try $0.count(HearthSchema.member) }
                                try replica.close()
                            }
                        }
                    } catch {
                        failures.append("worker \(worker): \(error)")
                    }
                }.start()
            }
            group.wait()
            #expect(failures.all == [])
            let replica = scratch.track(try Replica.open(at: path))
            #expect(try replica.read { try $0.count(HearthSchema.member) } == writers * 80)
        }
    }

    @Test func aLockStillHeldAfterTheTimeoutSaysBusyNotDamaged() {
        for code in [ResultCode.SQLITE_BUSY, .SQLITE_LOCKED] {
            let error = ReplicaError.storage(DatabaseError(resultCode: code), path: "/data/沙头.hearth")
            #expect(error.code == .busy)
            #expect(error.message.contains("busy (another hearth process holds it); try again"))
            #expect(!error.message.contains("damaged"))
        }
    }

    @Test func aFullDiskSaysDiskFullAndWhatToDo() {
        let error = ReplicaError.storage(DatabaseError(resultCode: .SQLITE_FULL), path: "/data/沙头.hearth")
        #expect(error.code == .diskFull)
        #expect(error.message.hasPrefix("disk full"))
        #expect(error.message.contains("free some space"))
        #expect(!error.message.contains("damaged"))
        #expect(!error.message.contains("SQLITE"))
        let creating = ReplicaFile.creationError(errno: ENOSPC, path: "/data/沙头.hearth")
        #expect(creating.code == .diskFull)
        #expect(creating.message.hasPrefix("disk full"))
    }

    /// A real SQLITE_FULL: the writer may not grow the file past its current size.
    @Test func aWriteThatFillsTheDiskIsRefusedAsDiskFullAndChangesNothing() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let digest = try replica.digest()
            let error = #expect(throws: ReplicaError.self) {
                try replica.write { tx in
                    let pages = try Int.fetchOne(tx.db, sql: "PRAGMA page_count") ?? 1
                    try tx.db.execute(sql: "PRAGMA max_page_count = \(pages)")
                    for number in 0..<500 {
                        try tx.insert(
                            HearthSchema.member,
                            ["name": .text("张三\(number)"), "notes": .text(String(repeating: "备注", count: 400))])
                    }
                }
            }
            #expect(error?.code == .diskFull)
            #expect(error?.message.hasPrefix("disk full") == true)
            #expect(error?.message.contains("damaged") == false)
            try replica.write { tx in try tx.db.execute(sql: "PRAGMA max_page_count = 1073741823") }
            #expect(try replica.read { try $0.count(HearthSchema.member) } == 0)
            #expect(try replica.digest() == digest)
        }
    }
}

/// Failures collected from worker threads.
final class FailureLog: Sendable {
    private let entries = Mutex<[String]>([])
    func append(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}
