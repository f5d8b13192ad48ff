import Foundation
import Replica
import SyncCore
import Testing

@Suite("Server feed")
struct FeedTests {
    let member = HearthSchema.member

    func insertMembers(_ replica: Replica, _ names: [String]) throws -> [String] {
        try replica.write { tx in try names.map { try tx.insert(member, ["name": .text($0)]).id } }
    }

    /// Reads the whole feed for `node` in pages of `limit`.
    func readFeed(_ server: Replica, for node: NodeID?, limit: Int) throws -> (ids: [String], pages: [FeedPage]) {
        var cursor: Int64 = 0
        var pages: [FeedPage] = []
        while true {
            let page = try server.feedPage(after: cursor, for: node, limit: limit)
            #expect(page.states.count <= limit)
            #expect(page.nextCursor >= cursor)
            pages.append(page)
            cursor = page.nextCursor
            if !page.hasMore { break }
            #expect(pages.count < 100, "the feed must end")
            if pages.count >= 100 { break }
        }
        return (pages.flatMap(\.states).map(\.id), pages)
    }

    @Test func feedLeavesOutStatesThatCameVerbatimFromThePullingNode() throws {
        try withScratch { scratch in
            let server = try scratch.replica("总工会", role: .server)
            let a = try scratch.replica("沙头服务中心")
            let b = try scratch.replica("志愿者-2")
            let fromA = try insertMembers(a, ["张三", "李四", "王五"])
            let fromB = try insertMembers(b, ["赵六", "孙七"])
            let fromServer = try insertMembers(server, ["周八"])
            try a.push(to: server)
            try b.push(to: server)
            #expect(try a.pendingRecordCount() == 0)

            #expect(Set(try readFeed(server, for: a.nodeID, limit: 100).ids) == Set(fromB + fromServer))
            #expect(Set(try readFeed(server, for: b.nodeID, limit: 100).ids) == Set(fromA + fromServer))
            #expect(Set(try readFeed(server, for: nil, limit: 100).ids) == Set(fromA + fromB + fromServer))
            #expect(Set(try readFeed(server, for: .fixed(77), limit: 100).ids) == Set(fromA + fromB + fromServer))
        }
    }

    @Test func feedPagesThroughEveryChangeExactlyOnce() throws {
        try withScratch { scratch in
            let server = try scratch.replica("总工会", role: .server)
            let ids = try insertMembers(server, (1...7).map { "会员\($0)" })
            for limit in [1, 2, 3, 7, 8] {
                let (seen, pages) = try readFeed(server, for: nil, limit: limit)
                #expect(seen == ids, "limit \(limit)")
                #expect(pages.last?.hasMore == false)
                #expect(pages.dropLast().allSatisfy { $0.hasMore && $0.states.count == limit }, "limit \(limit)")
                #expect(pages.allSatisfy { $0.digest == pages[0].digest })
            }
            // Nothing new after the end.
            let end = try server.feedPage(
                after: try readFeed(server, for: nil, limit: 3).pages.last!.nextCursor, for: nil, limit: 3)
            #expect(end.states.isEmpty && !end.hasMore)
        }
    }

    @Test func aChangedRecordMovesToTheEndOfTheFeedOnce() throws {
        try withScratch { scratch in
            let server = try scratch.replica("总工会", role: .server)
            let ids = try insertMembers(server, ["张三", "李四", "王五"])
            let middle = try server.feedPage(after: 0, for: nil, limit: 2)
            try server.write { tx in try tx.update(member, id: ids[0], ["phone": .text("13800138000")]) }
            let rest = try readFeedFrom(server, cursor: middle.nextCursor)
            #expect(rest.map(\.id) == [ids[2], ids[0]])
            #expect(rest.last?.value("phone") == .text("13800138000"))
            #expect(try readFeed(server, for: nil, limit: 10).ids == [ids[1], ids[2], ids[0]])
        }
    }

    func readFeedFrom(_ server: Replica, cursor: Int64) throws -> [RecordState] {
        var cursor = cursor
        var states: [RecordState] = []
        while true {
            let page = try server.feedPage(after: cursor, for: nil, limit: 1)
            states += page.states
            cursor = page.nextCursor
            if !page.hasMore { return states }
        }
    }

    @Test func aMergedStateGoesBackToTheNodeThatPushed() throws {
        try withScratch { scratch in
            let server = try scratch.replica("总工会", role: .server)
            let a = try scratch.replica("沙头服务中心")
            let b = try scratch.replica("志愿者-2")
            let id = try insertMembers(a, ["张三"])[0]
            try a.push(to: server)
            try b.pull(from: server)
            try a.write { tx in try tx.update(member, id: id, ["phone": .text("13911112222")]) }
            try b.write { tx in try tx.update(member, id: id, ["employer": .text("宝安建筑")]) }
            try a.push(to: server)
            #expect(try readFeed(server, for: a.nodeID, limit: 10).ids.isEmpty)
            try b.push(to: server)
            // The server merged B's state with A's: B lacks the merge, and so does A.
            #expect(try readFeed(server, for: a.nodeID, limit: 10).ids == [id])
            #expect(try readFeed(server, for: b.nodeID, limit: 10).ids == [id])
            try a.pull(from: server)
            try b.pull(from: server)
            for replica in [a, b] {
                #expect(try replica.record(member, id)?.value("phone") == .text("13911112222"))
                #expect(try replica.record(member, id)?.value("employer") == .text("宝安建筑"))
                #expect(try replica.pendingRecordCount() == 0)
                #expect(try replica.digest() == server.digest())
            }
        }
    }

    @Test func pulledPagesStoreTheCursorAndReplaysAreHarmless() throws {
        try withScratch { scratch in
            let server = try scratch.replica("总工会", role: .server)
            let node = try scratch.replica("沙头服务中心")
            _ = try insertMembers(server, ["张三", "李四", "王五"])
            let first = try server.feedPage(after: 0, for: node.nodeID, limit: 2)
            let report = try node.applyPulledPage(
                first.states, cursor: first.nextCursor, nodeNames: [server.nodeID: "总工会"])
            #expect(report.received == 2 && report.changed == 2)
            #expect(try node.pullCursor() == first.nextCursor)
            // The same page again (a retry after a lost reply) changes nothing.
            let replay = try node.applyPulledPage(first.states, cursor: first.nextCursor, nodeNames: [:])
            #expect(replay.changed == 0)
            #expect(try node.pullCursor() == first.nextCursor)
            try node.pull(from: server)
            #expect(try node.read { try $0.count(member) } == 3)
            #expect(try node.pendingRecordCount() == 0)
            #expect(try node.digest() == server.digest())
            #expect(try node.read { try $0.nodeNames() }[server.nodeID] == "总工会")
        }
    }

    @Test func aPulledPageThatFailsHalfwayKeepsNeitherItsStatesNorTheCursor() throws {
        try withScratch { scratch in
            let server = try scratch.replica("总工会", role: .server)
            let node = try scratch.replica("沙头服务中心")
            _ = try insertMembers(server, ["张三", "李四"])
            let page = try server.feedPage(after: 0, for: node.nodeID, limit: 10)
            var broken = page.states[1]
            // Structurally broken (no lifecycle field): no release could have sent it.
            broken.fields[RecordState.lifecycleField] = nil
            #expect(throws: ReplicaError.self) {
                try node.applyPulledPage([page.states[0], broken], cursor: page.nextCursor, nodeNames: [:])
            }
            #expect(try node.pullCursor() == 0)
            #expect(try node.read { try $0.allStates() }.isEmpty)
            #expect(try node.digest() == ReplicaDigest())
        }
    }

    @Test func aRefusedChangeIsLeftOutAndTheRestOfThePageIsMerged() throws {
        try withScratch { scratch in
            let server = try scratch.replica("总工会", role: .server)
            let a = try scratch.replica("沙头服务中心")
            _ = try insertMembers(a, ["张三", "李四", "王五"])
            let states = try a.pendingRecords(limit: 10).map(\.state)
            var calls = 0
            let report = try server.applyPushedPage(states, from: a.nodeID) { _ in
                calls += 1
                return calls == 2 ? "not yours" : nil
            }
            #expect(report.applied == 2)
            #expect(report.refused == [ChangeRefusal(index: 1, reason: .forbidden, message: "not yours")])
            let held = try server.read { try $0.allStates() }.map(\.id)
            #expect(Set(held) == Set([states[0].id, states[2].id]))
        }
    }

    @Test func aChangeThatBreaksTheDeclarationsIsRefusedAlone() throws {
        try withScratch { scratch in
            let server = try scratch.replica("总工会", role: .server)
            let a = try scratch.replica("沙头服务中心")
            _ = try insertMembers(a, ["张三", "李四"])
            var states = try a.pendingRecords(limit: 10).map(\.state)
            let dot = states[0].fields["name"]!.shown.dot
            states[0].fields["name"] = FieldState(single: FieldVersion(value: .integer(7), dot: dot, wallTime: 0))
            states.append(RecordState(type: "未知 type", id: states[1].id, vector: states[1].vector))
            let report = try server.applyPushedPage(states, from: a.nodeID) { _ in nil }
            #expect(report.applied == 1)
            #expect(report.refused.map(\.index) == [0, 2])
            #expect(report.refused.allSatisfy { $0.reason == .invalid })
            #expect(!report.refused[1].message.contains("未知"))
            #expect(try server.read { try $0.count(member) } == 1)
        }
    }

    /// A member node A created, pushed, deleted and pushed again, and the server collected
    /// (node A has not adopted the stable vector, so it still holds the tombstone).
    func collectedOnTheServer(_ scratch: Scratch) throws -> (server: Replica, a: Replica, created: RecordState) {
        let server = try scratch.replica("总工会", role: .server)
        let a = try scratch.replica("沙头服务中心")
        let created = try a.write { tx in
            try tx.insert(member, ["name": .text("张三"), "phone": .text("13800138000")])
        }
        try a.push(to: server)
        let tombstone = try a.write { tx in try tx.delete(member, id: created.id) }
        try a.push(to: server)
        #expect(try server.adoptStableVector(tombstone.vector) == 1)
        return (server, a, created)
    }

    /// A pushed state of a record the server had collected is stored stripped of its stable
    /// versions: not what the sender holds. The sender learns it from the push answer, which
    /// may be lost (or its copy may change before the answer arrives), so the feed must offer
    /// it the stored state like any other, or its copy would keep the stripped versions forever.
    @Test func aStateStrippedByTheCollectionRuleIsFedBackToItsSender() throws {
        try withScratch { scratch in
            let (server, a, created) = try collectedOnTheServer(scratch)
            let cursor = try server.feedPage(after: 0, for: nil, limit: 100).nextCursor

            // A re-creates the member over its tombstone (it has not adopted the stable vector):
            // the erased phone's version stays under a stable dot.
            let recreated = try a.write { tx in
                try tx.write(member, id: created.id, ["name": .text("李四")], mustExist: false)
            }
            let report = try server.applyPushedPage([recreated], from: a.nodeID) { _ in nil }
            #expect(report.collected == [0])
            let stored = try #require(try server.read { try $0.record(member, id: created.id) })
            #expect(stored.fields["phone"] == nil && stored != recreated)

            let fed = try server.feedPage(after: cursor, for: a.nodeID, limit: 100)
            #expect(fed.states == [stored])
        }
    }

    /// The sender of a stripped state that never learned of it (the answer was lost) and wrote
    /// the record again pushes a state that has seen everything the server holds but still
    /// carries the stripped versions: they are left out, not brought back nor refused, and the
    /// sender's pull gives it the server's state.
    @Test func aLaterStateStillCarryingStrippedVersionsIsAcceptedWithoutThem() throws {
        try withScratch { scratch in
            let (server, a, created) = try collectedOnTheServer(scratch)
            let recreated = try a.write { tx in
                try tx.write(member, id: created.id, ["name": .text("李四")], mustExist: false)
            }
            let authorize = { (change: PushedChange) -> String? in
                WriteAuthorship.violation(
                    incoming: change.incoming, current: change.current, merged: change.result.state,
                    isAuthor: { $0 == a.nodeID }, stable: change.stable
                ).map { "\($0)" }
            }
            #expect(try server.applyPushedPage([recreated], from: a.nodeID, authorize: authorize).collected == [0])

            // The answer is lost: a still holds the erased phone version, and edits again.
            let edited = try a.write { tx in try tx.update(member, id: created.id, ["employer": .text("宝安建筑")]) }
            #expect(edited.fields["phone"] != nil)
            let report = try server.applyPushedPage([edited], from: a.nodeID, authorize: authorize)
            #expect(report.refused.isEmpty)
            let stored = try #require(try server.read { try $0.record(member, id: created.id) })
            #expect(stored.fields["phone"] == nil)
            #expect(stored.value("employer") == .text("宝安建筑"))

            try a.acknowledge(try a.pendingRecords(limit: 10))
            try a.pull(from: server)
            #expect(try a.read { try $0.record(member, id: created.id) } == stored)
            #expect(try a.read { try $0.digest() } == server.read { try $0.digest() })
        }
    }
}
