import Foundation
import HearthProtocol
import Replica
import SyncClient
import SyncCore
import SyncServer
import Testing

/// Deletes that erase and tombstones that are collected, against a real server on loopback:
/// nothing of a deleted member stays in any replica file once every node has seen the delete,
/// and a collected record never comes back, not from a restored copy nor a readmitted laptop.
@Suite(.serialized) struct CollectionTests {
    let member = HearthSchema.member

    /// Syncs every replica `rounds` times, in order: a delete becomes stable after every node has
    /// pulled it and then asked again (what a node asks from is what it is known to hold).
    func settle(_ cluster: LiveCluster, _ replicas: [Replica], rounds: Int = 3) async throws {
        for _ in 0..<rounds {
            for replica in replicas { try await cluster.sync(replica) }
        }
    }

    func tombstones(_ replica: Replica) throws -> Int { try replica.tombstoneCount() }

    /// Every byte of a replica's files, checkpointed or not: what `strings` would read.
    func fileBytes(_ path: String) -> Data {
        var bytes = Data()
        for suffix in ["", "-wal"] {
            if let data = FileManager.default.contents(atPath: path + suffix) { bytes.append(data) }
        }
        return bytes
    }

    @Test func aDeletedMemberLeavesNoTraceInAnyFileOnceCollected() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("沙头服务中心")
        let b = try cluster.addNode("体育公园服务中心")
        let name = "欧阳娜娜"
        let phone = "13987654321"
        let doomed = try a.write { tx in try tx.insert(member, ["name": .text(name), "phone": .text(phone)]) }
        try a.write { tx in try tx.insert(member, ["name": .text("李四")]) }
        try await settle(cluster, [a, b], rounds: 1)
        try a.write { tx in try tx.delete(member, id: doomed.id) }
        try await cluster.sync(a)
        // Synced once: erased everywhere it went, but not yet collected.
        try await cluster.sync(b)
        let tombstone = try b.read { try $0.record(member, id: doomed.id) }
        #expect(tombstone?.isErasedTombstone() == true)
        try await settle(cluster, [a, b])
        let server = cluster.server.store.replica
        for replica in [a, b, server] {
            #expect(try tombstones(replica) == 0)
            #expect(try replica.read { try $0.record(member, id: doomed.id) } == nil)
        }
        #expect(try a.digest() == b.digest())
        #expect(try a.digest() == server.digest())
        #expect(try b.snapshot(member).count == 1)
        // The collected entry was the feed's newest: the nodes' cursors are still not ahead of
        // the feed, and nobody is taken for an older copy.
        for replica in [a, b] {
            let again = try await cluster.sync(replica)
            #expect(!again.reconciliation.resynchronising)
            #expect(again.pulled == 0 && again.digestMatches == true)
        }
        let paths = [a.path, b.path, server.path]
        try a.close()
        try b.close()
        try await cluster.server.stop()
        for path in paths {
            let bytes = fileBytes(path)
            #expect(bytes.range(of: Data(name.utf8)) == nil, "the name is still in \(path)")
            #expect(bytes.range(of: Data(phone.utf8)) == nil, "the phone is still in \(path)")
            #expect(bytes.range(of: Data("李四".utf8)) != nil, "the check cannot see values at all")
        }
        try? FileManager.default.removeItem(at: cluster.directory)
    }

    @Test func anEditMadeWithoutSeeingTheDeleteKeepsTheRecordWithOnlyItsFields() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("沙头服务中心")
        let b = try cluster.addNode("体育公园服务中心")
        let record = try a.write { tx in
            try tx.insert(member, ["name": .text("王小明"), "phone": .text("13800000000"), "employer": .text("电子厂")])
        }
        try await settle(cluster, [a, b], rounds: 1)
        try a.write { tx in try tx.delete(member, id: record.id) }
        try b.write { tx in try tx.update(member, id: record.id, ["name": .text("王小明（复核）")]) }
        try await settle(cluster, [a, b])
        for replica in [a, b] {
            let state = try #require(try replica.read { try $0.record(member, id: record.id) })
            #expect(!state.isDeleted)
            #expect(state.value("name") == .text("王小明（复核）"))
            #expect(state.value("phone") == .null)
            #expect(state.value("employer") == .null)
            #expect(state.conflictedFields == [RecordState.lifecycleField])
        }
        #expect(try a.digest() == b.digest())
        try await cluster.shutdown()
    }

    @Test func aRestoredLaptopCannotBringACollectedMemberBackButKeepsItsOwnLaterEdit() async throws {
        let cluster = try await LiveCluster.start()
        let office = try cluster.addNode("总工会")
        let laptop = try cluster.addNode("志愿者笔记本")
        let gone = try office.write { tx in try tx.insert(member, ["name": .text("赵六"), "phone": .text("13711112222")])
        }
        let edited = try office.write { tx in
            try tx.insert(member, ["name": .text("钱七"), "phone": .text("13633334444")])
        }
        try await settle(cluster, [office, laptop], rounds: 1)
        let backup = cluster.directory.appendingPathComponent("laptop-backup.db").path
        try laptop.backup(to: backup)
        try office.write { tx in
            try tx.delete(member, id: gone.id)
            try tx.delete(member, id: edited.id)
        }
        try await settle(cluster, [office, laptop])
        #expect(try cluster.server.store.replica.tombstoneCount() == 0)
        try laptop.close()

        // The laptop is restored from last week's copy, and someone edits a member on it first.
        let restored = try Replica.open(at: backup)
        try restored.write { tx in try tx.update(member, id: edited.id, ["notes": .text("已回访")]) }
        let report = try await cluster.sync(restored)
        #expect(report.reconciliation.resynchronising)
        #expect(report.refused == 0)
        try await settle(cluster, [office, restored])
        #expect(try restored.read { try $0.record(member, id: gone.id) } == nil)
        for replica in [office, restored] {
            let kept = try #require(try replica.read { try $0.record(member, id: edited.id) })
            #expect(!kept.isDeleted)
            #expect(kept.value("notes") == .text("已回访"))
            #expect(kept.value("name") == .null && kept.value("phone") == .null)
        }
        #expect(try office.digest() == restored.digest())
        #expect(try office.digest() == cluster.server.store.replica.digest())
        try restored.close()
        try await cluster.shutdown()
    }

    @Test func aRevokedLaptopDoesNotStallCollectionAndComesBackCleanly() async throws {
        let cluster = try await LiveCluster.start()
        let office = try cluster.addNode("总工会")
        let laptop = try cluster.addNode("丢失的笔记本")
        let gone = try office.write { tx in try tx.insert(member, ["name": .text("孙八")]) }
        try await settle(cluster, [office, laptop], rounds: 1)
        // The laptop goes missing with an unsynced registration on it.
        let walkIn = try laptop.write { tx in try tx.insert(member, ["name": .text("周九")]) }
        try office.write { tx in try tx.delete(member, id: gone.id) }
        try await settle(cluster, [office])
        #expect(try cluster.server.store.replica.tombstoneCount() == 1, "a registered node that never pulled holds it")
        try cluster.server.store.revokeNode(laptop.nodeID)
        try await settle(cluster, [office])
        #expect(try cluster.server.store.replica.tombstoneCount() == 0)
        #expect(try office.tombstoneCount() == 0)

        // Found again: readmitted with a new token, it re-synchronises and keeps its registration.
        let (_, token) = try cluster.server.store.readmitNode(laptop.nodeID)
        let engine = SyncEngine(replica: laptop, transport: cluster.transport(for: laptop, token: token))
        let report = try await engine.sync()
        #expect(report.reconciliation.resynchronising)
        #expect(report.refused == 0)
        for _ in 0..<2 {
            _ = try await engine.sync()
            try await cluster.sync(office)
        }
        #expect(try laptop.read { try $0.record(member, id: gone.id) } == nil)
        #expect(try office.read { try $0.record(member, id: walkIn.id) }?.value("name") == .text("周九"))
        #expect(try laptop.digest() == office.digest())
        try await cluster.shutdown()
    }

    @Test func aServerRestoredFromAnOldBackupCannotBringACollectedMemberBack() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("沙头服务中心")
        let b = try cluster.addNode("体育公园服务中心")
        let gone = try a.write { tx in try tx.insert(member, ["name": .text("吴十")]) }
        try await settle(cluster, [a, b], rounds: 2)
        let backup = cluster.directory.appendingPathComponent("server-backup.db").path
        try cluster.server.store.backup(to: backup)
        try a.write { tx in try tx.delete(member, id: gone.id) }
        try await settle(cluster, [a, b])
        #expect(try a.tombstoneCount() == 0 && b.tombstoneCount() == 0)
        let tokens = cluster.tokens
        try await cluster.server.stop()

        // The central office restores last week's backup, which still holds the member.
        let restoredPath = cluster.directory.appendingPathComponent("server.db").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: restoredPath + suffix) }
        try FileManager.default.copyItem(atPath: backup, toPath: restoredPath)
        let server = try await EmbeddedServer.start(
            databasePath: restoredPath, configuration: .init(host: "127.0.0.1", port: 0))
        func sync(_ replica: Replica) async throws -> SyncReport {
            try await SyncEngine(
                replica: replica,
                transport: HTTPSyncTransport(baseURL: server.baseURL, token: tokens[replica.nodeID]!)
            ).sync()
        }
        // The member comes back to b (a wrote it, so the server does not send it back to a): b
        // knows it was collected, and deletes it again.
        var zombies = 0
        for _ in 0..<3 {
            zombies += try await sync(a).zombiesDeleted
            zombies += try await sync(b).zombiesDeleted
        }
        #expect(zombies == 1)
        for replica in [a, b, server.store.replica] {
            let state = try replica.read { try $0.record(member, id: gone.id) }
            #expect(state == nil || state!.isDeleted)
        }
        #expect(try a.snapshot(member).isEmpty && b.snapshot(member).isEmpty)
        #expect(try a.digest() == b.digest())
        #expect(try a.digest() == server.store.replica.digest())
        try await server.stop()
        try? FileManager.default.removeItem(at: cluster.directory)
    }
}

extension Replica {
    fileprivate func digest() throws -> ReplicaDigest { try read { try $0.digest() } }
}
