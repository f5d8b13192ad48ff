import Foundation
import Replica
import SyncCore
import SyncServer
import Synchronization
import Testing

/// What every server store must do, run against each (`StoreKind.tested`): the SQLite store
/// and the PostgreSQL one load and save; the rules above them are shared, so their answers to
/// the same calls must be the same.
@Suite("Server store contract")
struct ServerStoreContractTests {
    @Test(arguments: StoreKind.tested)
    func registryIssuesHashedTokensRevokesAndReadmits(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let (center, token) = try await store.addNode(name: " 沙头服务中心 ", canForward: true, id: nil, hub: nil)
            #expect(center.name == "沙头服务中心")
            #expect(try await store.authenticate(token: token)?.id == center.id)
            #expect(try await store.authenticate(token: token + "0") == nil)
            #expect(
                try await store.authenticate(token: "hth_0000000000000000_" + String(repeating: "0", count: 64)) == nil)

            let laptop = try await store.addNode(name: "志愿者笔记本", canForward: false, id: nil, hub: center.id).node
            #expect(try await store.authors(for: center).contains(laptop.id))
            await #expect(throws: ReplicaError.self) {
                try await store.addNode(name: "again", canForward: false, id: center.id, hub: nil)
            }
            await #expect(throws: ReplicaError.self) {
                try await store.addNode(name: "hubless", canForward: false, id: nil, hub: laptop.id)
            }
            #expect(try await store.nodes().map(\.name) == ["沙头服务中心", "志愿者笔记本"])
            #expect(try await store.nodeNames(of: [laptop.id]) == [laptop.id: "志愿者笔记本"])
            #expect(try await store.nodeNames(of: []).isEmpty)
            // A page may name more writers than SQLite takes parameters in one statement.
            let many = Set((0..<40_000).map { _ in NodeID.random() }).union([laptop.id])
            #expect(try await store.nodeNames(of: many) == [laptop.id: "志愿者笔记本"])

            try await store.revokeNode(laptop.id)
            await #expect(throws: ReplicaError.self) { try await store.revokeNode(laptop.id) }
            await #expect(throws: ReplicaError.self) { try await store.revokeNode(.random()) }
            #expect(try await store.nodes().last?.isRevoked == true)
            await #expect(throws: ReplicaError.self) { try await store.readmitNode(center.id) }

            let (readmitted, newToken) = try await store.readmitNode(laptop.id)
            #expect(!readmitted.isRevoked)
            #expect(try await store.authenticate(token: newToken)?.id == laptop.id)
            #expect(try await store.standing(of: laptop.id).mustResync)
            try await store.clearResync(of: laptop.id)
            #expect(try await !store.standing(of: laptop.id).mustResync)
        }
    }

    @Test(arguments: StoreKind.tested)
    func aHubRegistersItsOwnLaptopsOnly(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let hub = try await store.addNode(name: "沙头服务中心", canForward: true, id: nil, hub: nil).node
            let other = try await store.addNode(name: "体育公园服务中心", canForward: false, id: nil, hub: nil).node
            let token = NodeToken.generate()
            let laptopID = NodeID.random(), secondWriter = NodeID.random()
            let laptop = HubLaptop(
                id: laptopID, name: "汽车站服务台", tokenID: token.tokenID, tokenHash: token.secretHash,
                writers: [laptopID, secondWriter], signingKeys: [String(repeating: "1f", count: 32)], revoked: false)
            var claimsOther = laptop
            claimsOther.id = other.id
            claimsOther.tokenID = NodeToken.generate().tokenID
            let refused = try await store.registerLaptops([laptop, claimsOther], of: hub)
            #expect(Array(refused.keys) == [other.id])
            // The laptop's token works here too, and the hub may forward both its writers.
            #expect(try await store.authenticate(token: token.text)?.id == laptopID)
            #expect(try await store.authors(for: hub).isSuperset(of: [laptopID, secondWriter]))
            #expect(try await !store.authors(for: hub).contains(other.id))
            #expect(try await store.nodes().first { $0.id == laptopID }?.hubID == hub.id)
            // Telling again changes nothing; telling it revoked revokes it.
            #expect(try await store.registerLaptops([laptop], of: hub).isEmpty)
            var revoked = laptop
            revoked.revoked = true
            #expect(try await store.registerLaptops([revoked], of: hub).isEmpty)
            #expect(try await store.authenticate(token: token.text) == nil)
            // Another hub cannot take the laptop over.
            let rival = try await store.addNode(name: "另一个枢纽", canForward: true, id: nil, hub: nil).node
            #expect(try await store.registerLaptops([laptop], of: rival).keys.contains(laptopID))
            try await store.noteSigningKey(String(repeating: "2e", count: 32), for: hub.id)
        }
    }

    @Test(arguments: StoreKind.tested)
    func writerIdentitiesBelongToOneNode(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let a = try await store.addNode(name: "a", canForward: false, id: nil, hub: nil).node
            let b = try await store.addNode(name: "b", canForward: false, id: nil, hub: nil).node
            let second = NodeID.random()
            #expect(try await store.claimWriter(a.id, for: a.id))
            #expect(try await !store.claimWriter(b.id, for: a.id), "another node's id")
            #expect(try await store.claimWriter(second, for: a.id))
            #expect(try await store.claimWriter(second, for: a.id), "asking again")
            #expect(try await !store.claimWriter(second, for: b.id), "another node's writer")
            #expect(try await store.authors(for: a) == [a.id, second])
            #expect(try await store.nodeNames(of: [second, b.id]) == [second: "a", b.id: "b"])

            try await store.notePush(
                PushNote(
                    node: a.id, time: 5, merged: 3, highestCounters: [second: 7, a.id: 2],
                    lineage: (writer: second, counter: 7, tag: "tag-7")))
            #expect(
                try await store.writerStatus(second)
                    == WriterStatus(highestCounter: 7, lineageCounter: 7, lineageTag: "tag-7"))
            // An older report never moves the lineage back.
            try await store.notePush(
                PushNote(
                    node: a.id, time: 6, merged: 0, highestCounters: [:],
                    lineage: (writer: second, counter: 3, tag: "x")))
            #expect(try await store.writerStatus(second).lineageTag == "tag-7")
            #expect(try await store.nodes().first { $0.id == a.id }?.pushedChanges == 3)
        }
    }

    @Test(arguments: StoreKind.tested)
    func aPushedPageIsMergedAndFedToEveryoneButItsSender(kind: StoreKind) async throws {
        try await kind.withStore { store, folder in
            let a = try await NodeUnderTest.register("沙头服务中心", on: store, in: folder)
            let b = try await NodeUnderTest.register("体育公园服务中心", on: store, in: folder)
            _ = try a.addMembers(["张三", "李四", "王五"])
            let report = try await store.pushTrusted(try a.pending(), from: a.node)
            #expect(report.applied == 3 && report.alreadyKnown == 0 && report.refused.isEmpty)
            #expect(try await store.pushTrusted(try a.pending(), from: a.node).alreadyKnown == 3)

            #expect(try await store.wholeFeed(for: a.node).states.isEmpty)
            let fed = try await store.wholeFeed(for: b.node)
            #expect(Set(fed.states.map(\.id)) == Set(try a.pending().map(\.id)))
            #expect(fed.last.latest == 3 && fed.last.nextCursor == 3)

            // The server's digest is the digest of the same records anywhere.
            _ = try b.replica.applyPulledPage(fed.states, cursor: fed.last.nextCursor, nodeNames: [:])
            #expect(fed.last.digest == (try b.replica.read { try $0.digest() }))
        }
    }

    @Test(arguments: StoreKind.tested)
    func feedPagesGiveEveryChangeOnceAndAChangedRecordMovesToTheEnd(kind: StoreKind) async throws {
        try await kind.withStore { store, folder in
            let a = try await NodeUnderTest.register("a", on: store, in: folder)
            let states = try a.addMembers((1...7).map { "会员\($0)" })
            _ = try await store.pushTrusted(states, from: a.node)
            for limit in [1, 2, 3, 7, 8] {
                #expect(try await store.wholeFeed(for: nil, limit: limit).states.map(\.id) == states.map(\.id))
            }
            let middle = try await store.feedPage(after: 0, for: nil, limit: 2)
            let edited = try a.replica.write { transaction in
                try transaction.update(HearthSchema.member, id: states[0].id, ["phone": .text("13800138000")])
            }
            _ = try await store.pushTrusted([edited], from: a.node)
            let rest = try await store.wholeFeed(for: nil, after: middle.nextCursor).states
            #expect(rest.map(\.id) == states[2...].map(\.id) + [states[0].id])
            #expect(rest.last?.value("phone") == .text("13800138000"))
            await #expect(throws: Never.self) { try await store.feedPage(after: 1_000, for: nil, limit: 5) }
        }
    }

    /// A merged state is no node's own (it is fed to its sender too), and a feed for no node
    /// (`includeOwn`: a re-synchronising node) leaves nothing out.
    @Test(arguments: StoreKind.tested)
    func aMergedStateIsFedToItsSenderAndToAFeedForNoNode(kind: StoreKind) async throws {
        try await kind.withStore { store, folder in
            let a = try await NodeUnderTest.register("a", on: store, in: folder)
            let b = try await NodeUnderTest.register("b", on: store, in: folder)
            let member = try a.addMembers(["欧阳锋"])[0]
            _ = try await store.pushTrusted([member], from: a.node)
            _ = try b.replica.applyPulledPage(try await store.wholeFeed(for: b.node).states, cursor: 1, nodeNames: [:])
            // Concurrent edits of two fields: b's push merges with a's into a state neither sent.
            let byA = try a.replica.write { try $0.update(HearthSchema.member, id: member.id, ["phone": .text("1")]) }
            let byB = try b.replica.write { try $0.update(HearthSchema.member, id: member.id, ["notes": .text("二")]) }
            _ = try await store.pushTrusted([byA], from: a.node)
            _ = try await store.pushTrusted([byB], from: b.node)

            for node in [nil, a.node, b.node] {
                let fed = try await store.wholeFeed(for: node).states
                #expect(fed.map(\.id) == [member.id], "fed to \(node?.name ?? "no node")")
                #expect(fed.first?.value("phone") == .text("1") && fed.first?.value("notes") == .text("二"))
            }
        }
    }

    @Test(arguments: StoreKind.tested)
    func refusedAndInvalidChangesAreLeftOutAndTheRestIsMerged(kind: StoreKind) async throws {
        try await kind.withStore { store, folder in
            let a = try await NodeUnderTest.register("a", on: store, in: folder)
            let states = try a.addMembers(["张三", "李四", "王五"])
            var badType = states[1]
            badType.type = "Not A Type"
            let report = try await store.applyPush([states[0], badType, states[2]], from: a.node) { change in
                change.incoming.id == states[2].id ? "change member \(change.incoming.id) was refused: test" : nil
            }
            #expect(report.applied == 1)
            #expect(report.refused.map(\.index) == [1, 2])
            #expect(report.refused.map(\.reason) == [.invalid, .forbidden])
            #expect(try await store.wholeFeed(for: nil).states.map(\.id) == [states[0].id])
        }
    }

    @Test(arguments: StoreKind.tested)
    func aRecordOfATypeANewerReleaseDeclaresIsKeptWhole(kind: StoreKind) async throws {
        try await kind.withStore { store, folder in
            let a = try await NodeUnderTest.register("a", on: store, in: folder)
            let dot = Dot(node: a.node.id, counter: 1)
            var future = RecordState(
                type: "volunteer_shift", id: UUIDText.random(), vector: VersionVector([a.node.id: 1]))
            future.fields[RecordState.lifecycleField] = FieldState(
                single: FieldVersion(value: RecordState.alive, dot: dot, wallTime: 1))
            future.fields["shiftName"] = FieldState(single: FieldVersion(value: .text("春运志愿服务"), dot: dot, wallTime: 1))
            #expect(try await store.pushTrusted([future], from: a.node).applied == 1)
            #expect(try await store.wholeFeed(for: nil).states == [future])
        }
    }

    @Test(arguments: StoreKind.tested)
    func aTombstoneEveryNodeHasSeenIsCollectedAndAZombieIsDropped(kind: StoreKind) async throws {
        try await kind.withStore { store, folder in
            let a = try await NodeUnderTest.register("a", on: store, in: folder)
            let b = try await NodeUnderTest.register("b", on: store, in: folder)
            let member = try a.addMembers(["慕容复"])[0]
            let deleted = try a.replica.write { try $0.delete(HearthSchema.member, id: member.id) }
            _ = try await store.pushTrusted([deleted], from: a.node)
            try await store.notePush(
                PushNote(node: a.node.id, time: 5, merged: 1, highestCounters: [a.node.id: 2], lineage: nil))
            let before = try await store.wholeFeed(for: nil).last
            #expect(before.stable.isEmpty)

            // Both nodes catch up, a reports its writes settled: two rounds promote and collect.
            let settled = SettledWrites(writer: a.node.id, counter: 2)
            var collected = 0
            for _ in 0..<3 {
                collected += try await store.noteCaughtUp(
                    a.node.id, at: 10, pulledFrom: before.latest, settled: settled)
                collected += try await store.noteCaughtUp(b.node.id, at: 10, pulledFrom: before.latest, settled: nil)
            }
            #expect(collected == 1)
            let after = try await store.wholeFeed(for: nil).last
            #expect(after.stable == VersionVector([a.node.id: 2]))
            #expect(try await store.wholeFeed(for: nil).states.isEmpty)
            #expect(after.digest == ReplicaDigest())
            #expect(after.latest == before.latest, "the feed's end never moves back")

            // The old state again, from a node that never learned of the collection: a zombie.
            let zombie = try await store.pushTrusted([deleted], from: b.node)
            #expect(zombie.collected == [0] && zombie.applied == 0)
            #expect(try await store.wholeFeed(for: nil).states.isEmpty)
        }
    }

    /// More tombstones than a PostgreSQL row stream buffers before it waits to be read (256):
    /// collection read them while asking for the digest on the same connection, which waited for
    /// the stream, which waited to be read. The transaction sat idle for ever, and a CI run hung.
    @Test(arguments: StoreKind.tested)
    func manyTombstonesAreCollectedInOneTransaction(kind: StoreKind) async throws {
        try await kind.withStore { store, folder in
            let a = try await NodeUnderTest.register("a", on: store, in: folder)
            let b = try await NodeUnderTest.register("b", on: store, in: folder)
            let members = try a.addMembers((0..<1_000).map { "会员\($0)" })
            let deleted = try a.replica.write { transaction in
                try members.map { try transaction.delete(HearthSchema.member, id: $0.id) }
            }
            for page in stride(from: 0, to: deleted.count, by: 250) {
                _ = try await store.pushTrusted(Array(deleted[page..<min(page + 250, deleted.count)]), from: a.node)
            }
            let highest = deleted.compactMap { $0.vector.counters[a.node.id] }.max() ?? 0
            try await store.notePush(
                PushNote(node: a.node.id, time: 5, merged: 1_000, highestCounters: [a.node.id: highest], lineage: nil))
            let latest = try await store.wholeFeed(for: nil).last.latest

            let (aID, bID) = (a.node.id, b.node.id)
            let collected = try await Bounded.result(within: .seconds(60)) {
                var collected = 0
                for _ in 0..<3 {
                    collected += try await store.noteCaughtUp(
                        aID, at: 10, pulledFrom: latest, settled: SettledWrites(writer: aID, counter: highest))
                    collected += try await store.noteCaughtUp(bID, at: 10, pulledFrom: latest, settled: nil)
                }
                return collected
            }
            #expect(collected == 1_000, "collection did not finish within 60 s, or collected too few")
            #expect(try await store.wholeFeed(for: nil).states.isEmpty)
        }
    }
}

/// A wait with an end, for a call that might never return (a deadlock under test).
enum Bounded {
    /// `body`'s result, or nil once `limit` has passed. A body still running then is left to
    /// itself: the test records the hang and ends instead of hanging the whole run.
    static func result<T: Sendable>(within limit: Duration, _ body: @escaping @Sendable () async throws -> T)
        async throws -> T?
    {
        try await withCheckedThrowingContinuation { continuation in
            let answer = FirstAnswer(continuation)
            Task {
                do { answer.give(.success(try await body())) } catch { answer.give(.failure(error)) }
            }
            Task {
                try? await Task.sleep(for: limit)
                answer.give(.success(nil))
            }
        }
    }

    /// Resumes its continuation with the first result it is given and ignores the rest.
    private final class FirstAnswer<T: Sendable>: Sendable {
        private let pending: Mutex<CheckedContinuation<T?, any Error>?>

        init(_ continuation: CheckedContinuation<T?, any Error>) {
            pending = Mutex(continuation)
        }

        func give(_ result: Result<T?, any Error>) {
            pending.withLock { pending in
                pending?.resume(with: result)
                pending = nil
            }
        }
    }
}
