import Foundation
import HearthProtocol
import Replica
import SyncClient
import SyncCore
import SyncServer
import Testing

/// Re-installed and restored replicas, and a server restored from a backup, against a real
/// server on loopback: nothing is lost and no write number is used twice.
@Suite(.serialized) struct RecoveryTests {
    let member = HearthSchema.member

    @Test func aReinstalledReplicaGetsItsWritesBackAndContinuesAfterThem() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("沙头服务中心")
        let b = try cluster.addNode("体育公园服务中心")
        let first = try a.write { tx in
            try tx.insert(member, ["name": .text("张三"), "phone": .text("13800000000")])
        }
        try a.write { tx in try tx.insert(member, ["name": .text("李四")]) }
        try await cluster.sync(a)

        // The laptop is wiped and `hearth init` runs again with the same token.
        let reinstalled = try Replica.create(
            at: cluster.directory.appendingPathComponent("reinstalled.db").path, name: "沙头服务中心", nodeID: a.nodeID)
        let report = try await cluster.sync(reinstalled)
        #expect(report.reconciliation.counterRaisedTo == 2)
        #expect(try reinstalled.snapshot(member) == a.snapshot(member))
        // Editing a record whose last write came from this node's earlier life works, with a new dot.
        let edited = try reinstalled.write { tx in try tx.update(member, id: first.id, ["phone": .text("13911112222")])
        }
        // A new writer identity: the lost copy's numbers can never be met again.
        #expect(edited.fields["phone"]?.shown.dot == Dot(node: try reinstalled.currentWriter(), counter: 3))
        #expect(try reinstalled.currentWriter() != a.nodeID)
        let again = try await cluster.sync(reinstalled)
        #expect(again.refused == 0 && again.pushed == 1)
        try await cluster.sync(b)
        #expect(try b.read { try $0.record(member, id: first.id) }?.value("phone") == .text("13911112222"))
        #expect(try b.snapshot(member) == reinstalled.snapshot(member))
        try await cluster.shutdown()
    }

    @Test func aReplicaRestoredFromABackupGetsItsLaterWritesBack() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("沙头服务中心")
        let b = try cluster.addNode("体育公园服务中心")
        let first = try a.write { tx in try tx.insert(member, ["name": .text("王小明")]) }
        try await cluster.sync(a)
        let backup = cluster.directory.appendingPathComponent("laptop-backup.db").path
        try a.backup(to: backup)
        try a.write { tx in try tx.update(member, id: first.id, ["phone": .text("13700001111")]) }
        try a.write { tx in try tx.insert(member, ["name": .text("赵六")]) }
        try await cluster.sync(a)

        let restored = try Replica.open(at: backup)
        let report = try await cluster.sync(restored)
        #expect(report.reconciliation.counterRaisedTo == 3)
        #expect(try restored.snapshot(member) == a.snapshot(member))
        let next = try restored.write { tx in try tx.update(member, id: first.id, ["notes": .text("复核")]) }
        #expect(next.fields["notes"]?.shown.dot == Dot(node: try restored.currentWriter(), counter: 4))
        #expect(try await cluster.sync(restored).refused == 0)
        let final = try await cluster.sync(b)
        #expect(final.digestMatches == true)
        #expect(try b.snapshot(member) == restored.snapshot(member))
        try restored.close()
        try await cluster.shutdown()
    }

    @Test func aRestoredReplicaThatWroteBeforeSyncingKeepsBothItsWritesAndTheLostCopys() async throws {
        let cluster = try await LiveCluster.start()
        let a = try cluster.addNode("沙头服务中心")
        let b = try cluster.addNode("体育公园服务中心")
        let first = try a.write { tx in try tx.insert(member, ["name": .text("王小明")]) }
        try await cluster.sync(a)
        let backup = cluster.directory.appendingPathComponent("laptop-backup.db").path
        try a.backup(to: backup)
        // The original goes on: writes 2 and 3, synced, then the laptop is lost.
        try a.write { tx in try tx.update(member, id: first.id, ["phone": .text("13700001111")]) }
        let lost = try a.write { tx in try tx.insert(member, ["name": .text("赵六")]) }
        try await cluster.sync(a)

        // The backup is restored and used offline: its writes 2 and 3 are other writes.
        let restored = try Replica.open(at: backup)
        try restored.write { tx in try tx.update(member, id: first.id, ["notes": .text("复核")]) }
        let offline = try restored.write { tx in try tx.insert(member, ["name": .text("钱七")]) }
        let report = try await cluster.sync(restored)
        #expect(report.reconciliation.writesRenumbered == 2)
        #expect(report.refused == 0)
        let settled = try await cluster.sync(restored)
        #expect(settled.digestMatches == true)
        let final = try await cluster.sync(b)
        #expect(final.digestMatches == true)
        let onB = try #require(try b.read { try $0.record(member, id: first.id) })
        #expect(onB.value("phone") == .text("13700001111"))
        #expect(onB.value("notes") == .text("复核"))
        #expect(try b.read { try $0.record(member, id: lost.id) } != nil)
        #expect(try b.read { try $0.record(member, id: offline.id) } != nil)
        #expect(try b.snapshot(member) == restored.snapshot(member))
        // Every dot names one write: no two versions anywhere share a dot with different values.
        let states = try b.read { reader in
            try reader.list(member).compactMap { try reader.record(member, id: $0.id) }
        }
        var written: [Dot: FieldValue] = [:]
        for state in states {
            for (field, fieldState) in state.fields where field != RecordState.lifecycleField {
                for version in fieldState.versions {
                    let key = Dot(node: version.dot.node, counter: version.dot.counter)
                    #expect(written[key] == nil || state.id == first.id, "dot \(key) reused across records")
                    written[key] = version.value
                }
            }
        }
        try restored.close()
        try await cluster.shutdown()
    }

    @Test func aServerRestoredFromABackupGetsBackEverythingItsNodesHold() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-restore-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let serverPath = directory.appendingPathComponent("server.db").path
        let backupPath = directory.appendingPathComponent("server-backup.db").path
        var server = try await EmbeddedServer.start(databasePath: serverPath)
        let (nodeA, tokenA) = try server.store.addNode(name: "沙头服务中心", canForward: false, id: nil, hub: nil)
        let (nodeB, tokenB) = try server.store.addNode(name: "体育公园服务中心", canForward: false, id: nil, hub: nil)
        let a = try Replica.create(at: directory.appendingPathComponent("a.db").path, name: "a", nodeID: nodeA.id)
        let b = try Replica.create(at: directory.appendingPathComponent("b.db").path, name: "b", nodeID: nodeB.id)
        func sync(_ replica: Replica, _ token: String) async throws -> SyncReport {
            try await SyncEngine(replica: replica, transport: HTTPSyncTransport(baseURL: server.baseURL, token: token))
                .sync()
        }
        let shared = try a.write { tx in try tx.insert(member, ["name": .text("孙杰")]) }
        _ = try await sync(a, tokenA)
        _ = try await sync(b, tokenB)
        try server.store.backup(to: backupPath)
        // After the backup: a new member on each node, and b edits a's member.
        try a.write { tx in try tx.insert(member, ["name": .text("郭敏")]) }
        try b.write { tx in
            try tx.insert(member, ["name": .text("周婷")])
            try tx.update(member, id: shared.id, ["phone": .text("13655556666")])
        }
        _ = try await sync(a, tokenA)
        _ = try await sync(b, tokenB)
        _ = try await sync(a, tokenA)

        // The server's disk is lost; the backup goes in its place.
        try await server.stop()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: serverPath + suffix) }
        try FileManager.default.copyItem(atPath: backupPath, toPath: serverPath)
        server = try await EmbeddedServer.start(databasePath: serverPath)
        let restoredA = try await sync(a, tokenA)
        #expect(restoredA.reconciliation.serverRestored)
        _ = try await sync(b, tokenB)
        let finalA = try await sync(a, tokenA)
        let finalB = try await sync(b, tokenB)
        #expect(finalA.digestMatches == true && finalB.digestMatches == true)
        #expect(finalA.refused == 0 && finalB.refused == 0)
        #expect(try a.snapshot(member).count == 3)
        #expect(try a.snapshot(member) == b.snapshot(member))
        #expect(try a.read { try $0.record(member, id: shared.id) }?.value("phone") == .text("13655556666"))
        try a.close()
        try b.close()
        try await server.stop()
    }

    @Test func afterACleanStopTheServerDatabaseFileAloneIsComplete() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-stop-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let serverPath = directory.appendingPathComponent("server.db").path
        let server = try await EmbeddedServer.start(databasePath: serverPath)
        let (node, token) = try server.store.addNode(name: "沙头服务中心", canForward: false, id: nil, hub: nil)
        let a = try Replica.create(at: directory.appendingPathComponent("a.db").path, name: "a", nodeID: node.id)
        try a.write { tx in for i in 0..<200 { try tx.insert(member, ["name": .text("会员\(i)")]) } }
        _ = try await SyncEngine(replica: a, transport: HTTPSyncTransport(baseURL: server.baseURL, token: token)).sync()
        let digest = try server.store.replica.read { try $0.digest() }
        try await server.stop()
        // Only the .db file is copied, as a careless backup would.
        let copy = directory.appendingPathComponent("copy.db").path
        try FileManager.default.copyItem(atPath: serverPath, toPath: copy)
        let reopened = try SQLiteServerStore(path: copy)
        #expect(try reopened.replica.read { try $0.digest() } == digest)
        #expect(try reopened.replica.read { try $0.count(member) } == 200)
        #expect(try reopened.nodes().map(\.id) == [node.id])
        try reopened.close()
        try a.close()
    }
}
