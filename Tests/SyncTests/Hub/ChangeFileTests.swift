import Foundation
import HearthProtocol
import Replica
import SyncClient
import SyncCore
import SyncServer
import Testing

/// Change files (`hearth bundle`): signed, checked whole before anything is read, and taken in
/// with exactly the rules of a sync.
@Suite(.serialized) struct ChangeFileTests {
    /// A small signed file of `count` members written on a fresh replica.
    private static func sample(count: Int = 3) throws -> (bytes: [UInt8], directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-bundle-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let replica = try Replica.create(at: directory.appendingPathComponent("a.db").path, name: "笔记本")
        try replica.write { tx in
            for i in 0..<count {
                try tx.insert(HearthSchema.member, ["name": .text("会员\(i)"), "phone": .text("1390000\(i)")])
            }
        }
        let file = try ChangeFileExport.make(replica: replica, for: .anyone, at: 0)
        let bytes = try file.bytes(signedWith: try replica.signingKey())
        try replica.close()
        return (bytes, directory)
    }

    @Test func aFileReadsBackAsWritten() throws {
        let (bytes, directory) = try Self.sample(count: 5)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try ChangeFile.read(bytes)
        #expect(file.states.count == 5)
        #expect(file.header.changes == 5)
        #expect(Set(file.states.map { $0.value("name") }).count == 5)
    }

    @Test func everyCutOfAFileIsRefused() throws {
        let (bytes, directory) = try Self.sample()
        defer { try? FileManager.default.removeItem(at: directory) }
        for length in 0..<bytes.count {
            #expect(throws: ChangeFileError.self, "a file cut to \(length) bytes was read") {
                try ChangeFile.read(Array(bytes[..<length]))
            }
        }
        let unsigned = Array(bytes[..<(bytes.count - 64)])
        #expect { try ChangeFile.read(unsigned) } throws: {
            ($0 as? ChangeFileError)?.message.contains("not signed") == true
        }
        #expect { try ChangeFile.read(bytes + [0]) } throws: {
            ($0 as? ChangeFileError)?.message.contains("after its signature") == true
        }
    }

    @Test func everyAlteredByteIsRefused() throws {
        let (bytes, directory) = try Self.sample()
        defer { try? FileManager.default.removeItem(at: directory) }
        for index in bytes.indices {
            var altered = bytes
            altered[index] ^= 0x20
            #expect(throws: ChangeFileError.self, "a file altered at byte \(index) was read") {
                try ChangeFile.read(altered)
            }
        }
    }

    @Test func aFileFromANewerHearthSaysSo() throws {
        let (bytes, directory) = try Self.sample()
        defer { try? FileManager.default.removeItem(at: directory) }
        var newer = bytes
        newer[18] = 2  // the format version's last byte, after the 15-byte magic line
        #expect { try ChangeFile.read(newer) } throws: {
            ($0 as? ChangeFileError)?.message.contains("newer Hearth") == true
        }
    }

    @Test func aLaptopsFileIsTakenInAtItsCenterOnceAndThenSyncAddsNothing() async throws {
        let cluster = try await HubCluster.start()
        let center = try cluster.addCenter("沙头服务中心")
        try await cluster.serve(center)
        let laptop = try cluster.addLaptop("汽车站服务台", at: center)
        try await cluster.syncAtHub(laptop)  // the laptop presents its key, and learns its hub's id
        try laptop.write { tx in
            for i in 0..<30 { try tx.insert(HearthSchema.member, ["name": .text("返乡工友\(i)")]) }
        }
        let file = try ChangeFileExport.make(replica: laptop, for: .upstream(center.nodeID), at: 0)
        #expect(file.states.count == 30)
        let bytes = try file.bytes(signedWith: try laptop.signingKey())
        let first = try await ChangeFileImport.apply(try ChangeFile.read(bytes), to: center)
        #expect(first.accepted == 30 && first.refused.isEmpty)
        let again = try await ChangeFileImport.apply(try ChangeFile.read(bytes), to: center)
        #expect(again.accepted == 0 && again.alreadyKnown == 30)
        // The center's records are pending: they travel on as the laptop's, with its authorship.
        let upstream = try await cluster.syncUpstream(center)
        #expect(upstream.pushed == 30 && upstream.refused == 0)
        let later = try await cluster.syncAtHub(laptop)
        #expect(later.refused == 0 && later.conflicts == 0 && later.digestMatches == true)
        #expect(try center.read { try $0.count(HearthSchema.member) } == 30)
        #expect(try cluster.central.server.store.replica.read { try $0.count(HearthSchema.member) } == 30)
        try await cluster.shutdown()
    }

    @Test func aFileCannotPassOffAnotherNodesWrites() async throws {
        let cluster = try await HubCluster.start()
        let center = try cluster.addCenter("沙头服务中心")
        try await cluster.serve(center)
        let honest = try cluster.addLaptop("笔记本甲", at: center)
        let forger = try cluster.addLaptop("笔记本乙", at: center)
        try await cluster.syncAtHub(honest)
        try await cluster.syncAtHub(forger)
        try honest.write { tx in try tx.insert(HearthSchema.member, ["name": .text("甲登记的人")]) }
        let before = try center.read { try $0.digest() }
        // 1. The forger signs, with its own key, a file carrying the honest laptop's unsynced write.
        var stolen = try ChangeFileExport.make(replica: forger, for: .anyone, at: 0)
        stolen.states = try honest.pendingRecords(limit: 10).map(\.state)
        let outcome = try await ChangeFileImport.apply(
            try ChangeFile.read(try stolen.bytes(signedWith: try forger.signingKey())), to: center)
        #expect(outcome.accepted == 0 && outcome.refused.count == 1)
        #expect(!outcome.refused[0].contains("甲登记的人"))
        // 2. It names the honest laptop as the signer: its key is not that laptop's.
        var impersonating = stolen
        impersonating.header.signer = honest.nodeID.rawValue
        await #expect(throws: ReplicaError.self) {
            try await ChangeFileImport.apply(
                try ChangeFile.read(try impersonating.bytes(signedWith: try forger.signingKey())), to: center)
        }
        #expect(try center.read { try $0.digest() } == before)
        try await cluster.shutdown()
    }

    @Test func aCenterSendsItsLaptopWhatItLacksByFile() async throws {
        let cluster = try await HubCluster.start()
        let center = try cluster.addCenter("沙头服务中心")
        let park = try cluster.addCenter("体育公园服务中心", forward: false)
        try await cluster.serve(center)
        let laptop = try cluster.addLaptop("笔记本", at: center)
        try await cluster.syncAtHub(laptop)
        try park.write { tx in for i in 0..<8 { try tx.insert(HearthSchema.member, ["name": .text("公园会员\(i)")]) } }
        try await cluster.central.sync(park)
        try await cluster.syncUpstream(center)
        let registered = try cluster.hubStore(of: center).nodes().first { $0.id == laptop.nodeID }!
        let file = try ChangeFileExport.make(replica: center, for: .laptop(registered), at: 0)
        #expect(file.states.count == 8)
        let outcome = try await ChangeFileImport.apply(
            try ChangeFile.read(try file.bytes(signedWith: try center.signingKey())), to: laptop)
        #expect(outcome.accepted == 8)
        #expect(try laptop.read { try $0.count(HearthSchema.member) } == 8)
        #expect(try laptop.pendingRecordCount() == 0)
        let sync = try await cluster.syncAtHub(laptop)
        #expect(sync.conflicts == 0 && sync.digestMatches == true)
        try await cluster.shutdown()
    }

    @Test func filesOfRevokedOrUnknownNodesAreRefused() async throws {
        let cluster = try await HubCluster.start()
        let center = try cluster.addCenter("沙头服务中心")
        let other = try cluster.addCenter("体育公园服务中心", forward: false)
        try await cluster.serve(center)
        let laptop = try cluster.addLaptop("笔记本", at: center)
        try await cluster.syncAtHub(laptop)
        try laptop.write { tx in try tx.insert(HearthSchema.member, ["name": .text("张三")]) }
        let bytes = try ChangeFileExport.make(replica: laptop, for: .anyone, at: 0).bytes(
            signedWith: try laptop.signingKey())
        // Another center does not serve this laptop: it cannot tell whose writes the file holds.
        await #expect(throws: ReplicaError.self) {
            try await ChangeFileImport.apply(try ChangeFile.read(bytes), to: other)
        }
        try cluster.hubStore(of: center).revokeNode(laptop.nodeID)
        await #expect(throws: ReplicaError.self) {
            try await ChangeFileImport.apply(try ChangeFile.read(bytes), to: center)
        }
        #expect(try center.read { try $0.count(HearthSchema.member) } == 0)
        #expect(try other.read { try $0.count(HearthSchema.member) } == 0)
        try await cluster.shutdown()
    }
}
