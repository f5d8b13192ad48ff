import HearthTestSupport
import SyncCore
import Testing

/// The server's authorship check: legitimate histories always pass, forgeries never do.
@Suite("WriteAuthorship")
struct WriteAuthorshipTests {
    /// The shapes of forgery the first release let through, and the ones around them.
    enum Forgery: CaseIterable {
        /// A field holds a version under another node's dot that the server does not hold there.
        case foreignVersionInField
        /// A state that leaves out a field the server holds (erasing it).
        case fieldLeftOut
        /// A tombstone with no fields (wiping the record's data).
        case emptyTombstone
        /// A vector entry of another node beyond what the server has seen.
        case foreignHistory
        /// A known dot with another value.
        case rewrittenValue
    }

    static func simulate(seed: UInt64) -> StarSimulation {
        var rng = SeededGenerator(seed: seed)
        var simulation = StarSimulation(nodeCount: Int.random(in: 3...5, using: &rng))
        simulation.run(steps: Int.random(in: 10...60, using: &rng), using: &rng)
        return simulation
    }

    @Test func everyLegitimateHistoryIsAccepted() {
        for seed in TestSeeds.cases(400) {
            var simulation = Self.simulate(seed: seed)
            // Finish with everyone pushing and pulling: still nothing refused.
            for _ in 0..<3 {
                for index in simulation.nodes.indices {
                    if index == simulation.laptopIndex {
                        simulation.exchangeWithHub()
                    } else {
                        simulation.push(from: index)
                    }
                }
            }
            let refusals = simulation.refusals.map { "\($0.node.short): \($0.violation)" }
            #expect(refusals.isEmpty, TestSeeds.comment(seed, refusals.joined(separator: "; ")))
        }
    }

    @Test(arguments: Forgery.allCases) func everyForgeryIsRefusedWhateverTheHistory(_ forgery: Forgery) {
        var tried = 0
        for seed in TestSeeds.cases(400) {
            let simulation = Self.simulate(seed: seed)
            var rng = SeededGenerator(seed: seed ^ 0x5EED)
            guard let server = simulation.server else { continue }
            let index = Int.random(in: 0..<(simulation.nodes.count - 1), using: &rng)
            let sender = simulation.nodes[index]
            let authors = simulation.authors(of: index)
            guard let forged = Self.forge(forgery, server: server, sender: sender, authors: authors, using: &rng)
            else { continue }
            tried += 1
            let merged = RecordMerge.merge(local: server, incoming: forged).state
            let violation = WriteAuthorship.violation(
                incoming: forged, current: server, merged: merged, isAuthor: authors.contains)
            #expect(violation != nil, TestSeeds.comment(seed, "\(forgery) by \(sender.id.short)"))
        }
        #expect(tried > 0 || TestSeeds.replayed != nil, "no history allowed a \(forgery) forgery")
    }

    /// A forgery of the given shape built on what the server holds, or nil when this history
    /// offers nothing to forge that way.
    static func forge(
        _ forgery: Forgery, server: RecordState, sender: RecordSimulation.Node, authors: Set<NodeID>,
        using rng: inout SeededGenerator
    ) -> RecordState? {
        let base = RecordMerge.merge(local: sender.state, incoming: server).state
        let ownDot = Dot(node: sender.id, counter: max(sender.counter, base.vector[sender.id]) + 1)
        var forged = base
        forged.vector.add(ownDot)
        let others = server.vector.sortedEntries.filter { !authors.contains($0.node) }
        switch forgery {
        case .foreignVersionInField:
            guard let victim = others.randomElement(using: &rng) else { return nil }
            let field = StarSimulation.fields.randomElement(using: &rng)!
            let candidates = (1...victim.counter).map { Dot(node: victim.node, counter: $0) }.filter {
                !(server.fields[field]?.contains($0) ?? false)
            }
            guard let dot = candidates.randomElement(using: &rng) else { return nil }
            let value = StarSimulation.values.randomElement(using: &rng)!
            forged.fields[field] = FieldState(single: FieldVersion(value: value, dot: dot, wallTime: 0))
        case .fieldLeftOut:
            guard let field = server.fields.keys.sorted().randomElement(using: &rng) else { return nil }
            forged.fields[field] = nil
        case .emptyTombstone:
            guard server.fields.keys.contains(where: { $0 != RecordState.lifecycleField }) else { return nil }
            forged.fields = [
                RecordState.lifecycleField: FieldState(
                    single: FieldVersion(value: RecordState.deleted, dot: ownDot, wallTime: 0))
            ]
        case .foreignHistory:
            guard let victim = others.randomElement(using: &rng) else { return nil }
            forged = base
            forged.vector.add(Dot(node: victim.node, counter: victim.counter + 1))
        case .rewrittenValue:
            guard let field = server.fields.keys.sorted().randomElement(using: &rng) else { return nil }
            forged = server
            var version = server.fields[field]!.shown
            if field == RecordState.lifecycleField {
                version.value = version.value == RecordState.alive ? RecordState.deleted : RecordState.alive
            } else {
                version.value = version.value == .text("伪造") ? .text("篡改") : .text("伪造")
            }
            forged.fields[field] = FieldState(single: version)
        }
        return forged
    }
}
