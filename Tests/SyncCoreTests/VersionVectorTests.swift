import HearthTestSupport
import SyncCore
import Testing

@Suite("VersionVector")
struct VersionVectorTests {
    let a = NodeID.fixed(1)
    let b = NodeID.fixed(2)
    let c = NodeID.fixed(3)

    // MARK: Fixed cases

    @Test func missingEntriesCountAsZero() {
        let vector = VersionVector([a: 3])
        #expect(vector[b] == 0)
        #expect(VersionVector([a: 3, b: 0]) == vector)
        #expect(VersionVector([a: 0]) == .empty)
        #expect(VersionVector([a: 0]).isEmpty)
        #expect(VersionVector([a: 3, b: 0]).compare(to: vector) == .equal)
        #expect(VersionVector.empty.compare(to: VersionVector([c: 0])) == .equal)
    }

    @Test func compareReportsEqual() {
        #expect(VersionVector.empty.compare(to: .empty) == .equal)
        #expect(VersionVector([a: 2, b: 1]).compare(to: VersionVector([b: 1, a: 2])) == .equal)
    }

    @Test func compareReportsBeforeAndAfter() {
        let older = VersionVector([a: 1])
        let newer = VersionVector([a: 2, b: 1])
        #expect(older.compare(to: newer) == .before)
        #expect(newer.compare(to: older) == .after)
        #expect(VersionVector.empty.compare(to: older) == .before)
        #expect(older.compare(to: .empty) == .after)
        // A missing entry on one side is a zero, so a new node's entry alone makes the other side newer.
        #expect(VersionVector([a: 2]).compare(to: VersionVector([a: 2, c: 1])) == .before)
    }

    @Test func compareReportsConcurrent() {
        #expect(VersionVector([a: 2]).compare(to: VersionVector([b: 1])) == .concurrent)
        #expect(VersionVector([a: 2, b: 1]).compare(to: VersionVector([a: 1, b: 2])) == .concurrent)
        #expect(VersionVector([a: 1, c: 1]).compare(to: VersionVector([a: 1, b: 1])) == .concurrent)
    }

    @Test func isDominatedByCoversEqualAndBefore() {
        let v = VersionVector([a: 1, b: 1])
        #expect(v.isDominated(by: v))
        #expect(v.isDominated(by: VersionVector([a: 2, b: 1])))
        #expect(!v.isDominated(by: VersionVector([a: 2])))
        #expect(!VersionVector([a: 2, b: 1]).isDominated(by: v))
    }

    @Test func addRecordsADotAndNeverLowersAnEntry() {
        var v = VersionVector([a: 5])
        v.add(Dot(node: a, counter: 3))
        #expect(v[a] == 5)
        v.add(Dot(node: b, counter: 2))
        #expect(v == VersionVector([a: 5, b: 2]))
        #expect(v.contains(Dot(node: b, counter: 1)))
        #expect(v.contains(Dot(node: b, counter: 2)))
        #expect(!v.contains(Dot(node: b, counter: 3)))
        #expect(!v.contains(Dot(node: c, counter: 1)))
    }

    @Test func mergeTakesThePointwiseMaximum() {
        let left = VersionVector([a: 3, b: 1])
        let right = VersionVector([b: 4, c: 2])
        #expect(left.merged(with: right) == VersionVector([a: 3, b: 4, c: 2]))
        var inPlace = left
        inPlace.merge(right)
        #expect(inPlace == left.merged(with: right))
    }

    @Test func sortedEntriesAndDescriptionAreCanonical() {
        let v = VersionVector([c: 1, a: 7, b: 2])
        #expect(v.sortedEntries.map(\.node) == [a, b, c])
        #expect(v.sortedEntries.map(\.counter) == [7, 2, 1])
        #expect(v.description == "{00000000:7, 00000000:2, 00000000:1}")
    }

    @Test func dotsOrderByCounterThenNode() {
        #expect(Dot(node: c, counter: 1) < Dot(node: a, counter: 2))
        #expect(Dot(node: a, counter: 2) < Dot(node: b, counter: 2))
        #expect(!(Dot(node: b, counter: 2) < Dot(node: b, counter: 2)))
    }

    @Test func nodeIDsAreNormalisedLowercaseUUIDs() {
        let upper = NodeID("3F6C1E2A-5B7D-4C8E-9F01-23456789ABCD")
        #expect(upper?.rawValue == "3f6c1e2a-5b7d-4c8e-9f01-23456789abcd")
        #expect(upper?.short == "3f6c1e2a")
        #expect(NodeID("not a uuid") == nil)
        #expect(NodeID("") == nil)
        #expect(NodeID("{3F6C1E2A-5B7D-4C8E-9F01-23456789ABCD}") == nil)
        #expect(NodeID.random() != NodeID.random())
    }

    // MARK: Randomised laws

    static let nodes = (1...4).map(NodeID.fixed)

    /// A small random vector over four nodes, so that equal and ordered pairs are common.
    static func randomVector(using rng: inout SeededGenerator) -> VersionVector {
        var counters: [NodeID: UInt64] = [:]
        for node in nodes where Int.random(in: 0..<4, using: &rng) > 0 {
            counters[node] = UInt64.random(in: 0...3, using: &rng)  // explicit zeros included
        }
        return VersionVector(counters)
    }

    /// The definition, written independently: compare every node's entry, missing meaning zero.
    static func referenceCompare(_ x: VersionVector, _ y: VersionVector) -> Causality {
        var lessOrEqual = true
        var greaterOrEqual = true
        for node in nodes {
            if x[node] > y[node] { lessOrEqual = false }
            if x[node] < y[node] { greaterOrEqual = false }
        }
        switch (lessOrEqual, greaterOrEqual) {
        case (true, true): return .equal
        case (true, false): return .before
        case (false, true): return .after
        case (false, false): return .concurrent
        }
    }

    static func mirrored(_ relation: Causality) -> Causality {
        switch relation {
        case .before: .after
        case .after: .before
        case .equal, .concurrent: relation
        }
    }

    @Test func compareAgreesWithThePointwiseDefinition() {
        var seen: Set<Causality> = []
        for seed in TestSeeds.cases(400) {
            var rng = SeededGenerator(seed: seed)
            let x = Self.randomVector(using: &rng)
            // Two independent random vectors are rarely equal: make equal pairs common enough
            // that every run sees each relation.
            let y = rng.chance(100) ? x : Self.randomVector(using: &rng)
            let note = TestSeeds.comment(seed, "x=\(x) y=\(y)")
            let relation = x.compare(to: y)
            seen.insert(relation)
            #expect(relation == Self.referenceCompare(x, y), note)
            #expect(y.compare(to: x) == Self.mirrored(relation), note)
            #expect(x.compare(to: x) == .equal, note)
            #expect((relation == .equal) == (x == y), note)
            #expect(x.isDominated(by: y) == (relation == .equal || relation == .before), note)
        }
        if TestSeeds.replayed == nil {
            #expect(seen == [.equal, .before, .after, .concurrent], "the generator should produce every relation")
        }
    }

    @Test func mergeIsCommutativeAssociativeAndIdempotent() {
        for seed in TestSeeds.cases(400) {
            var rng = SeededGenerator(seed: seed)
            let x = Self.randomVector(using: &rng)
            let y = Self.randomVector(using: &rng)
            let z = Self.randomVector(using: &rng)
            let note = TestSeeds.comment(seed, "x=\(x) y=\(y) z=\(z)")
            #expect(x.merged(with: y) == y.merged(with: x), note)
            #expect(x.merged(with: y).merged(with: z) == x.merged(with: y.merged(with: z)), note)
            #expect(x.merged(with: x) == x, note)
            #expect(x.merged(with: .empty) == x, note)
        }
    }

    @Test func mergeIsTheLeastUpperBound() {
        for seed in TestSeeds.cases(400) {
            var rng = SeededGenerator(seed: seed)
            let x = Self.randomVector(using: &rng)
            let y = Self.randomVector(using: &rng)
            let z = Self.randomVector(using: &rng)
            let joined = x.merged(with: y)
            let note = TestSeeds.comment(seed, "x=\(x) y=\(y) z=\(z)")
            #expect(x.isDominated(by: joined), note)
            #expect(y.isDominated(by: joined), note)
            for node in Self.nodes {
                #expect(joined[node] == max(x[node], y[node]), note)
            }
            // Any upper bound of both inputs is also an upper bound of their merge.
            if x.isDominated(by: z) && y.isDominated(by: z) {
                #expect(joined.isDominated(by: z), note)
            }
            // Merging in something already seen changes nothing.
            if y.isDominated(by: x) {
                #expect(joined == x, note)
            }
        }
    }
}
