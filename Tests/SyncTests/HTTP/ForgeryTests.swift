import HearthProtocol
import HearthTestSupport
import Replica
import SyncClient
import SyncCore
import SyncServer
import Testing

/// Attacks on a real server over HTTP: random honest histories are always accepted, and every
/// forgery an ordinary node can build from what it holds is refused and changes nothing.
@Suite(.serialized) struct ForgeryTests {
    enum Forgery: CaseIterable {
        case foreignVersionInField, fieldLeftOut, emptyTombstone, foreignHistory, rewrittenValue
    }

    @Test func randomHonestHistoriesPassAndEveryForgeryIsRefused() async throws {
        for seed in TestSeeds.cases(6) {
            var random = SeededGenerator(seed: seed)
            let note = TestSeeds.comment(seed)
            let cluster = try await LiveCluster.start()
            let honest = [try cluster.addNode("沙头服务中心"), try cluster.addNode("体育公园服务中心")]
            let forger = try cluster.addNode("工业园服务中心")
            for _ in 0..<random.int(10...30) {
                let node = random.pick(honest)!
                try Self.randomWrite(on: node, using: &random)
                if random.chance(400) {
                    let report = try await cluster.sync(node)
                    #expect(report.refused == 0, note)
                }
            }
            for node in honest + [forger] { try await cluster.sync(node) }
            var tried = 0
            for forgery in Forgery.allCases {
                let states = try forger.read { reader in
                    try reader.list(HearthSchema.member).compactMap {
                        try reader.record(HearthSchema.member, id: $0.id)
                    }
                }
                guard let target = random.pick(states),
                    let forged = Self.forge(forgery, of: target, by: forger.nodeID, using: &random)
                else { continue }
                tried += 1
                let before = try cluster.server.store.replica.read { try $0.digest() }
                let response = try await cluster.transport(for: forger).push(PushRequest(changes: [WireChange(forged)]))
                #expect(response.refused.map(\.code) == [ErrorCode.forbidden], "\(forgery), \(note)")
                #expect(response.accepted == 0, "\(forgery), \(note)")
                #expect(try cluster.server.store.replica.read { try $0.digest() } == before, "\(forgery), \(note)")
            }
            // Leaving out a field, an empty tombstone and a rewrite can always be built.
            #expect(tried >= 3, note)
            for node in honest {
                let report = try await cluster.sync(node)
                #expect(report.digestMatches == true, note)
                #expect(report.refused == 0, note)
            }
            try await cluster.shutdown()
        }
    }

    static func randomWrite(on node: Replica, using random: inout SeededGenerator) throws {
        let names = ["张三", "李四", "王小明", "赵六", "钱七"]
        try node.write { tx in
            let live = try tx.replica.read { try $0.list(HearthSchema.member) }
            if let member = random.pick(live), random.chance(600) {
                if random.chance(200) {
                    try tx.delete(HearthSchema.member, id: member.id)
                } else {
                    try tx.update(
                        HearthSchema.member, id: member.id, ["phone": .text("138 \(random.int(1000...9999))")])
                }
            } else {
                try tx.insert(HearthSchema.member, ["name": .text(random.pick(names)!), "center": .text("沙头")])
            }
        }
    }

    /// A state the forger could not have written, built on the server's state of a record.
    static func forge(_ forgery: Forgery, of held: RecordState, by forger: NodeID, using random: inout SeededGenerator)
        -> RecordState?
    {
        var forged = held
        let ownDot = Dot(node: forger, counter: 1_000_000)
        forged.vector.add(ownDot)
        let others = held.vector.sortedEntries.filter { $0.node != forger }
        switch forgery {
        case .foreignVersionInField:
            guard let victim = random.pick(others) else { return nil }
            // A write of the victim's (to this record or another) that this record does not hold in `name`.
            let unheld = (1...victim.counter).map { Dot(node: victim.node, counter: $0) }.filter {
                !(held.fields["name"]?.contains($0) ?? false)
            }
            guard let dot = random.pick(unheld) else { return nil }
            forged.fields["name"] = FieldState(single: FieldVersion(value: .text("伪造者"), dot: dot, wallTime: 0))
        case .fieldLeftOut:
            forged.fields["name"] = nil
        case .emptyTombstone:
            forged.fields = [
                RecordState.lifecycleField: FieldState(
                    single: FieldVersion(value: RecordState.deleted, dot: ownDot, wallTime: 0))
            ]
        case .foreignHistory:
            guard let victim = random.pick(others) else { return nil }
            forged = held
            forged.vector.add(Dot(node: victim.node, counter: victim.counter + 1))
        case .rewrittenValue:
            forged = held
            var version = held.fields["name"]!.shown
            version.value = .text("篡改")
            forged.fields["name"] = FieldState(single: version)
        }
        return forged
    }
}
