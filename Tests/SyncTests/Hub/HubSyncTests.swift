import Foundation
import GRDB
import HearthProtocol
import Replica
import SyncClient
import SyncCore
import SyncServer
import Testing

/// Laptops syncing through their center (`hearth serve`), the center forwarding their writes to
/// the central office, and a laptop moving between its center and the central office.
@Suite(.serialized) struct HubSyncTests {
    @Test func laptopWritesTravelThroughTheirCenterToAnotherCenterWithTheirAuthorship() async throws {
        let cluster = try await HubCluster.start()
        let shatou = try cluster.addCenter("沙头服务中心")
        let park = try cluster.addCenter("体育公园服务中心", forward: false)
        try await cluster.serve(shatou)
        let desk = try cluster.addLaptop("汽车站服务台", at: shatou)
        let canteen = try cluster.addLaptop("工厂食堂", at: shatou)
        try desk.write { tx in
            for i in 0..<40 { try tx.insert(HearthSchema.member, ["name": .text("返乡工友\(i)")]) }
        }
        try canteen.write { tx in try tx.insert(HearthSchema.member, ["name": .text("食堂会员")]) }
        #expect(try await cluster.syncAtHub(desk).pushed == 40)
        #expect(try await cluster.syncAtHub(canteen).pulled == 40)
        let upstream = try await cluster.syncUpstream(shatou)
        #expect(upstream.pushed == 41 && upstream.refused == 0 && upstream.laptopRefusals.isEmpty)
        #expect(upstream.laptopsRegistered == 2)
        #expect(try await cluster.syncAtHub(desk).pulled == 1)
        #expect(try await cluster.central.sync(park).pulled == 41)
        // The other center edits one of the desk's members; the edit reaches the desk.
        let someone = try desk.read { try $0.list(HearthSchema.member) }.first!.id
        try park.write { tx in try tx.update(HearthSchema.member, id: someone, ["employer": .text("港务公司")]) }
        try await cluster.central.sync(park)
        try await cluster.syncUpstream(shatou)
        let back = try await cluster.syncAtHub(desk)
        #expect(back.digestMatches == true)
        #expect(try desk.snapshot(HearthSchema.member)[someone]?["employer"] == .text("港务公司"))
        // Every replica holds the same records, and the desk's writes carry the desk's own dots.
        try await cluster.syncAtHub(canteen)
        let digests = try [shatou, park, desk, canteen, cluster.central.server.store.replica].map {
            try $0.read { try $0.digest() }
        }
        #expect(Set(digests).count == 1)
        let central = try cluster.central.server.store.replica.read { reader in
            try reader.record(HearthSchema.member, id: someone)
        }
        #expect((central?.vector[desk.nodeID] ?? 0) > 0)
        try await cluster.shutdown()
    }

    @Test func aLaptopMayGoHomeAndSyncWithTheCentralOfficeWithoutDuplicatesOrRefusals() async throws {
        let cluster = try await HubCluster.start()
        let shatou = try cluster.addCenter("沙头服务中心")
        try await cluster.serve(shatou)
        let laptop = try cluster.addLaptop("志愿者笔记本", at: shatou)
        try laptop.write { tx in
            for i in 0..<12 { try tx.insert(HearthSchema.member, ["name": .text("工友\(i)")]) }
        }
        try await cluster.syncAtHub(laptop)
        try await cluster.syncUpstream(shatou)
        // At home: the same token works at the central office.
        try laptop.write { tx in try tx.insert(HearthSchema.member, ["name": .text("在家登记")]) }
        let home = try await cluster.syncDirect(laptop)
        #expect(home.refused == 0 && home.conflicts == 0)
        #expect(home.switchedUpstream && home.digestMatches == true)
        #expect(try cluster.central.server.store.replica.read { try $0.count(HearthSchema.member) } == 13)
        // Back at the center: nothing doubles, nothing conflicts.
        try await cluster.syncUpstream(shatou)
        let again = try await cluster.syncAtHub(laptop)
        #expect(again.refused == 0 && again.conflicts == 0 && again.digestMatches == true)
        #expect(try laptop.read { try $0.count(HearthSchema.member) } == 13)
        #expect(try shatou.read { try $0.count(HearthSchema.member) } == 13)
        #expect(try shatou.read { try $0.openConflictCount() } == 0)
        try await cluster.shutdown()
    }

    /// A center restored from an older copy of its replica lost what its laptops handed it since;
    /// they still hold it (acknowledged), and send it again: nothing is lost.
    @Test func laptopsSendAgainWhatARestoredCenterLost() async throws {
        let cluster = try await HubCluster.start()
        let center = try cluster.addCenter("沙头服务中心")
        try await cluster.serve(center)
        let laptop = try cluster.addLaptop("笔记本", at: center)
        try await cluster.syncAtHub(laptop)
        let backup = cluster.central.directory.appendingPathComponent("center-backup.db").path
        try center.backup(to: backup)
        try laptop.write { tx in
            for i in 0..<5 { try tx.insert(HearthSchema.member, ["name": .text("备份之后\(i)")]) }
        }
        try await cluster.syncAtHub(laptop)
        #expect(try laptop.pendingRecordCount() == 0)
        let restored = try await cluster.restore(center, from: backup)
        #expect(try restored.read { try $0.count(HearthSchema.member) } == 0)
        try await cluster.syncAtHub(laptop)  // finds the center's feed behind it: pulls again, resends next time
        try await cluster.syncAtHub(laptop)
        #expect(try restored.read { try $0.count(HearthSchema.member) } == 5)
        try await cluster.syncUpstream(restored)
        #expect(try cluster.central.server.store.replica.read { try $0.count(HearthSchema.member) } == 5)
        try await cluster.shutdown()
    }

    /// A restored center that finds, at its next sync, that it lost writes of its own takes a new
    /// epoch for its laptops too: they pull everything again and offer their records again.
    @Test func aCenterThatFindsItselfRestoredGivesItsLaptopsANewEpoch() async throws {
        let cluster = try await HubCluster.start()
        let center = try cluster.addCenter("沙头服务中心")
        try await cluster.serve(center)
        let laptop = try cluster.addLaptop("笔记本", at: center)
        try laptop.write { tx in try tx.insert(HearthSchema.member, ["name": .text("笔记本会员")]) }
        try await cluster.syncAtHub(laptop)
        let backup = cluster.central.directory.appendingPathComponent("center-backup.db").path
        try center.backup(to: backup)
        try center.write { tx in try tx.insert(HearthSchema.member, ["name": .text("中心会员")]) }
        try await cluster.syncUpstream(center)
        let restored = try await cluster.restore(center, from: backup)
        let upstream = try await cluster.syncUpstream(restored)
        #expect(upstream.reconciliation.counterRaisedTo != nil)
        let resync = try await cluster.syncAtHub(laptop)
        #expect(resync.reconciliation.serverRestored && !resync.switchedUpstream)
        #expect(resync.digestMatches == true)
        #expect(try laptop.read { try $0.count(HearthSchema.member) } == 2)
        try await cluster.shutdown()
    }

    /// As it names every node registered with `hearth-server node add`, in its conflict reports.
    @Test func theCentralOfficeNamesTheLaptopsAHubRegisteredThere() async throws {
        let cluster = try await HubCluster.start()
        let shatou = try cluster.addCenter("沙头服务中心")
        try await cluster.serve(shatou)
        let laptop = try cluster.addLaptop("汽车站服务台", at: shatou)
        try await cluster.syncAtHub(laptop)
        try await cluster.syncUpstream(shatou)
        let names = try cluster.central.server.store.replica.read { try $0.nodeNames() }
        #expect(names[laptop.nodeID] == "汽车站服务台")
        try await cluster.shutdown()
    }

    @Test func aCenterTheCentralOfficeDoesNotKnowAsAHubForwardsNothing() async throws {
        let cluster = try await HubCluster.start()
        let center = try cluster.addCenter("未登记为枢纽的中心", forward: false)
        try await cluster.serve(center)
        let laptop = try cluster.addLaptop("笔记本", at: center)
        try laptop.write { tx in try tx.insert(HearthSchema.member, ["name": .text("张三")]) }
        try center.write { tx in try tx.insert(HearthSchema.member, ["name": .text("中心自己的会员")]) }
        try await cluster.syncAtHub(laptop)
        let report = try await cluster.syncUpstream(center)
        // Its own write goes up; the laptop's is refused by change and stays pending at the center.
        #expect(report.laptopRefusals.count == 1)
        #expect(report.pushed == 1 && report.refused == 1)
        #expect(try center.pendingRecordCount() == 1)
        #expect(try cluster.central.server.store.replica.read { try $0.count(HearthSchema.member) } == 1)
        // Once registered as a hub (here: readmitted as one), the laptop's write goes through.
        let centralStore = cluster.central.server.store
        try centralStore.replica.write { tx in
            try tx.db.execute(
                sql: "UPDATE registered_node SET can_forward = 1 WHERE node_id = ?", arguments: [center.nodeID.rawValue]
            )
        }
        let retry = try await cluster.syncUpstream(center)
        #expect(retry.refused == 0 && retry.laptopRefusals.isEmpty)
        #expect(try centralStore.replica.read { try $0.count(HearthSchema.member) } == 2)
        try await cluster.shutdown()
    }

    @Test func aHubCannotClaimAnotherNodeAsItsLaptopNorCanAPlainNodeRegisterLaptops() async throws {
        let cluster = try await HubCluster.start()
        let hub = try cluster.addCenter("沙头服务中心")
        let other = try cluster.addCenter("体育公园服务中心", forward: false)
        let hubTransport = cluster.central.transport(for: hub)
        func laptop(_ id: NodeID) -> HubLaptopsRequest.Laptop {
            HubLaptopsRequest.Laptop(
                nodeId: id.rawValue, name: "假笔记本", tokenId: "0123456789abcdef",
                tokenHash: String(repeating: "ab", count: 32), writers: [id.rawValue], signingKeys: [], revoked: false)
        }
        // Claiming the other center (to forward writes in its name) is refused, by laptop.
        let fresh = NodeID.random()
        let answer = try await hubTransport.registerLaptops(
            HubLaptopsRequest(laptops: [laptop(other.nodeID), laptop(fresh)]))
        #expect(answer.registered == 1)
        #expect(answer.refused.map(\.nodeId) == [other.nodeID.rawValue])
        #expect(!answer.refused[0].message.contains("假笔记本"))
        let authors = try cluster.central.server.store.authors(
            for: try cluster.central.server.store.nodes().first { $0.id == hub.nodeID }!)
        #expect(authors.contains(fresh) && !authors.contains(other.nodeID))
        // A writer identity of another node cannot be slipped in either.
        var sneaky = laptop(NodeID.random())
        sneaky.tokenId = "fedcba9876543210"
        sneaky.writers.append(other.nodeID.rawValue)
        let second = try await hubTransport.registerLaptops(HubLaptopsRequest(laptops: [sneaky]))
        #expect(second.registered == 0 && second.refused.count == 1)
        // A node that is not a hub may not register laptops at all.
        await #expect {
            try await cluster.central.transport(for: other).registerLaptops(
                HubLaptopsRequest(laptops: [laptop(NodeID.random())]))
        } throws: { ($0 as? SyncClientError)?.code == .forbidden }
        try await cluster.shutdown()
    }

    @Test func aLaptopRevokedAtItsCenterIsRevokedAtTheCentralOfficeToo() async throws {
        let cluster = try await HubCluster.start()
        let shatou = try cluster.addCenter("沙头服务中心")
        try await cluster.serve(shatou)
        let laptop = try cluster.addLaptop("丢失的笔记本", at: shatou)
        try await cluster.syncAtHub(laptop)
        try await cluster.syncUpstream(shatou)
        try await cluster.syncDirect(laptop)
        try cluster.hubStore(of: shatou).revokeNode(laptop.nodeID)
        await #expect { try await cluster.syncAtHub(laptop) } throws: {
            ($0 as? SyncClientError)?.code == .unauthorized
        }
        try await cluster.syncUpstream(shatou)
        await #expect { try await cluster.syncDirect(laptop) } throws: {
            ($0 as? SyncClientError)?.code == .unauthorized
        }
        try await cluster.shutdown()
    }

    /// Without the hub vouching for its laptops' pulls, a laptop that syncs only through its
    /// center would hold the central office's tombstone collection back for ever.
    @Test func deletesAreForgottenEverywhereWhileLaptopsSyncOnlyThroughTheirCenter() async throws {
        let cluster = try await HubCluster.start()
        let shatou = try cluster.addCenter("沙头服务中心")
        let park = try cluster.addCenter("体育公园服务中心", forward: false)
        try await cluster.serve(shatou)
        let laptop = try cluster.addLaptop("笔记本", at: shatou)
        let member = try park.write { tx in try tx.insert(HearthSchema.member, ["name": .text("将被删除")]) }.id
        let own = try laptop.write { tx in try tx.insert(HearthSchema.member, ["name": .text("笔记本会员")]) }.id
        func round() async throws {
            try await cluster.central.sync(park)
            try await cluster.syncAtHub(laptop)
            try await cluster.syncUpstream(shatou)
            try await cluster.syncAtHub(laptop)
        }
        try await round()
        try park.write { tx in try tx.delete(HearthSchema.member, id: member) }
        // The laptop's own delete needs its writes settled at the central office, through the hub.
        try laptop.write { tx in try tx.delete(HearthSchema.member, id: own) }
        for _ in 0..<5 { try await round() }
        let stores: [Replica] = [cluster.central.server.store.replica, park, shatou, laptop]
        for replica in stores {
            for id in [member, own] {
                let held = try replica.read { try $0.record(HearthSchema.member, id: id) }
                #expect(held == nil, "a delete was not forgotten at \(replica.path)")
            }
        }
        try await cluster.shutdown()
    }
}
