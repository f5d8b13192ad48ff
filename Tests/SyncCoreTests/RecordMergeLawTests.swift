import HearthTestSupport
import SyncCore
import Testing

/// The merge laws, checked on states produced by simulated nodes (see `RecordSimulation`).
@Suite("RecordMerge laws")
struct RecordMergeLawTests {
    static func simulate(seed: UInt64) -> RecordSimulation {
        var rng = SeededGenerator(seed: seed)
        var simulation = RecordSimulation(nodeCount: Int.random(in: 2...4, using: &rng))
        simulation.run(steps: Int.random(in: 5...30, using: &rng), using: &rng)
        return simulation
    }

    /// Three states from the simulation's history (any two may coincide).
    static func pick(_ simulation: RecordSimulation, using rng: inout SeededGenerator) -> [RecordState] {
        (0..<3).map { _ in simulation.history.randomElement(using: &rng)! }
    }

    @Test func joinIsCommutativeAssociativeAndIdempotent() {
        for seed in TestSeeds.cases(300) {
            let simulation = Self.simulate(seed: seed)
            guard !simulation.history.isEmpty else { continue }
            var rng = SeededGenerator(seed: seed ^ 0xA5A5)
            for _ in 0..<4 {
                let states = Self.pick(simulation, using: &rng)
                let (a, b, c) = (states[0], states[1], states[2])
                let note = TestSeeds.comment(seed)
                #expect(RecordMerge.join(a, b) == RecordMerge.join(b, a), note)
                #expect(
                    RecordMerge.join(RecordMerge.join(a, b), c) == RecordMerge.join(a, RecordMerge.join(b, c)), note)
                #expect(RecordMerge.join(a, a) == a, note)
                let ab = RecordMerge.join(a, b)
                #expect(RecordMerge.join(ab, a) == ab, note)
                #expect(RecordMerge.join(ab, b) == ab, note)
                #expect(ab.vector == a.vector.merged(with: b.vector), note)
            }
        }
    }

    @Test func mergeAgreesWithJoinAndReportsTheRightOutcome() {
        for seed in TestSeeds.cases(300) {
            let simulation = Self.simulate(seed: seed)
            guard !simulation.history.isEmpty else { continue }
            var rng = SeededGenerator(seed: seed ^ 0x5A5A)
            for _ in 0..<4 {
                let local = simulation.history.randomElement(using: &rng)!
                let incoming = simulation.history.randomElement(using: &rng)!
                let result = RecordMerge.merge(local: local, incoming: incoming)
                let note = TestSeeds.comment(seed, "local=\(local.vector) incoming=\(incoming.vector)")
                #expect(result.state == RecordMerge.join(local, incoming), note)
                let expected: RecordMerge.Outcome =
                    switch incoming.vector.compare(to: local.vector) {
                    case .equal, .before: .alreadyKnown
                    case .after: .fastForward
                    case .concurrent: .merged
                    }
                #expect(result.outcome == expected, note)
                let before = Set(local.conflictedFields)
                let after = Set(result.state.conflictedFields)
                #expect(Set(result.conflictsOpened) == after.subtracting(before), note)
                #expect(Set(result.conflictsClosed) == before.subtracting(after), note)
            }
        }
    }

    @Test func everyStateKeepsItsInvariants() {
        for seed in TestSeeds.cases(300) {
            let simulation = Self.simulate(seed: seed)
            for state in simulation.history {
                let note = TestSeeds.comment(seed, "state \(state.vector)")
                #expect(state.fields[RecordState.lifecycleField] != nil, note)
                for (name, field) in state.fields {
                    #expect(!field.versions.isEmpty, note)
                    #expect(field.versions.allSatisfy { state.vector.contains($0.dot) }, note)
                    #expect(Set(field.versions.map(\.dot)).count == field.versions.count, note)
                    // At most one surviving version per node: a node's own later write supersedes its earlier one.
                    #expect(Set(field.versions.map(\.dot.node)).count == field.versions.count, note)
                    for other in field.versions.dropFirst() {
                        #expect(WinnerRule.prefers(field.shown, over: other, field: name), note)
                    }
                }
            }
        }
    }

    @Test func nodesThatExchangeEverythingConverge() {
        for seed in TestSeeds.cases(300) {
            var simulation = Self.simulate(seed: seed)
            simulation.exchangeUntilStable()
            let states = simulation.nodes.compactMap(\.state)
            let note = TestSeeds.comment(seed)
            #expect(states.count == simulation.nodes.count || states.isEmpty, note)
            #expect(states.allSatisfy { $0 == states.first }, note)
            if let final = states.first {
                let everything = simulation.history.reduce(final) { RecordMerge.join($0, $1) }
                #expect(everything == final, note)
            }
        }
    }

    @Test func wallTimesNeverChangeWhichVersionIsShown() {
        for seed in TestSeeds.cases(300) {
            let simulation = Self.simulate(seed: seed)
            guard !simulation.history.isEmpty else { continue }
            var rng = SeededGenerator(seed: seed ^ 0x3C3C)
            let a = simulation.history.randomElement(using: &rng)!
            let b = simulation.history.randomElement(using: &rng)!
            var clocks = SeededGenerator(seed: seed ^ 0xC3C3)
            var skewed: [Dot: Int64] = [:]
            for dot in a.mentionedDots + b.mentionedDots where skewed[dot] == nil {
                skewed[dot] = Int64.random(in: -1_000_000...9_000_000_000_000, using: &clocks)
            }
            let original = RecordMerge.join(a, b)
            let withSkew = RecordMerge.join(a.withWallTimes { skewed[$0]! }, b.withWallTimes { skewed[$0]! })
            let note = TestSeeds.comment(seed)
            #expect(withSkew.shownDots == original.shownDots, note)
            #expect(withSkew.conflictedFields == original.conflictedFields, note)
            #expect(withSkew.shownValues == original.shownValues, note)
        }
    }
}
