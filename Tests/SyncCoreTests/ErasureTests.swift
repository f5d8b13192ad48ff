import HearthTestSupport
import SyncCore
import Testing

/// Deleting erases: the tombstone keeps dots, never values, and erasure spreads by the merge.
@Suite("Erasure on delete")
struct ErasureTests {
    let a = NodeID.fixed(1)
    let b = NodeID.fixed(2)

    func created() -> RecordState {
        RecordState(type: "member", id: "m1").applyingLocalWrite(
            ["name": .text("张三"), "phone": .text("13800000000"), "employer": .text("沙头电子厂")],
            dot: Dot(node: a, counter: 1), wallTime: 10)
    }

    @Test func aDeleteErasesEveryValueAndKeepsTheDots() {
        let tombstone = created().applyingLocalWrite(
            [RecordState.lifecycleField: RecordState.deleted], dot: Dot(node: a, counter: 2), wallTime: 20)
        #expect(tombstone.isDeleted)
        #expect(tombstone.isErasedTombstone())
        for field in ["name", "phone", "employer"] {
            #expect(tombstone.value(field) == .null)
            #expect(tombstone.fields[field]?.shown.dot == Dot(node: a, counter: 1))
        }
    }

    @Test func aConcurrentEditKeepsTheRecordWithOnlyTheFieldsItWrote() {
        let base = created()
        let tombstone = base.applyingLocalWrite(
            [RecordState.lifecycleField: RecordState.deleted], dot: Dot(node: a, counter: 2), wallTime: 20)
        let edited = base.applyingLocalWrite(
            ["phone": .text("13911112222")], dot: Dot(node: b, counter: 1), wallTime: 30)
        for (local, incoming) in [(tombstone, edited), (edited, tombstone)] {
            let merged = RecordMerge.merge(local: local, incoming: incoming).state
            #expect(!merged.isDeleted)
            #expect(merged.value("phone") == .text("13911112222"))
            // Erased fields stay erased: the edit did not write them.
            #expect(merged.value("name") == .null)
            #expect(merged.value("employer") == .null)
            // The delete-versus-edit conflict is recorded, and only that one.
            #expect(merged.conflictedFields == [RecordState.lifecycleField])
        }
    }

    @Test func anErasedDotBeatsItsValueInEveryOrder() {
        let base = created()
        let tombstone = base.applyingLocalWrite(
            [RecordState.lifecycleField: RecordState.deleted], dot: Dot(node: a, counter: 2), wallTime: 20)
        // A copy that had not erased (written before deleting erased) with the same history.
        var legacy = tombstone
        legacy.fields["name"] = base.fields["name"]
        #expect(RecordMerge.join(legacy, tombstone) == tombstone)
        #expect(RecordMerge.join(tombstone, legacy) == tombstone)
        let result = RecordMerge.merge(local: legacy, incoming: tombstone)
        #expect(result.outcome == .merged && result.state == tombstone)
        #expect(RecordMerge.merge(local: tombstone, incoming: legacy).outcome == .alreadyKnown)
    }

    @Test func randomHistoriesWithDeletesNeverKeepAValueInATombstone() {
        for seed in TestSeeds.cases(300) {
            var rng = SeededGenerator(seed: seed)
            var simulation = RecordSimulation(nodeCount: Int.random(in: 2...4, using: &rng))
            simulation.run(steps: Int.random(in: 5...40, using: &rng), using: &rng)
            for state in simulation.history where state.isDeleted {
                #expect(state.isErasedTombstone(), TestSeeds.comment(seed, "vector \(state.vector)"))
            }
            simulation.exchangeUntilStable()
            let finals = simulation.nodes.compactMap(\.state)
            #expect(Set(finals).count <= 1, TestSeeds.comment(seed))
        }
    }
}

/// The collection rules every replica computes alike (`TombstoneCollection`).
@Suite("Tombstone collection rules")
struct TombstoneCollectionTests {
    let a = NodeID.fixed(1)
    let b = NodeID.fixed(2)

    func tombstone() -> RecordState {
        RecordState(type: "member", id: "m1")
            .applyingLocalWrite(["name": .text("李四")], dot: Dot(node: a, counter: 3), wallTime: 1)
            .applyingLocalWrite(
                [RecordState.lifecycleField: RecordState.deleted], dot: Dot(node: b, counter: 5), wallTime: 2)
    }

    @Test func aTombstoneIsCollectableOnlyWhenItsWholeHistoryIsStable() {
        let dead = tombstone()
        #expect(!TombstoneCollection.isCollectable(dead, stable: .empty))
        #expect(!TombstoneCollection.isCollectable(dead, stable: VersionVector([a: 3, b: 4])))
        #expect(TombstoneCollection.isCollectable(dead, stable: VersionVector([a: 3, b: 5])))
        let alive = RecordState(type: "member", id: "m2").applyingLocalWrite(
            ["name": .text("王五")], dot: Dot(node: a, counter: 1), wallTime: 1)
        #expect(!TombstoneCollection.isCollectable(alive, stable: VersionVector([a: 9])))
    }

    @Test func aZombieIsDroppedWholeAndALateEditKeepsOnlyWhatItWrote() {
        let stable = VersionVector([a: 3, b: 5])
        let stale = RecordState(type: "member", id: "m1").applyingLocalWrite(
            ["name": .text("李四"), "phone": .text("13800000000")], dot: Dot(node: a, counter: 3), wallTime: 1)
        #expect(TombstoneCollection.isZombie(stale, stable: stable))
        #expect(TombstoneCollection.strippingStable(stale, stable: stable) == nil)
        // A restored laptop edits its stale copy under a new writer identity.
        let c = NodeID.fixed(3)
        let late = stale.applyingLocalWrite(["notes": .text("回访")], dot: Dot(node: c, counter: 1), wallTime: 9)
        #expect(!TombstoneCollection.isZombie(late, stable: stable))
        let kept = TombstoneCollection.strippingStable(late, stable: stable)
        #expect(kept?.value("notes") == .text("回访"))
        #expect(kept?.value("name") == .null && kept?.value("phone") == .null)
        #expect(kept?.isDeleted == false)
        #expect(kept?.vector == late.vector)
    }

    /// A record met again after it was collected holds none of its old history: the server
    /// stored what met it, under new dots only. A node that still held the tombstone merges the
    /// two and pushes a state whose vector names the deleted history, all under the stable
    /// vector: that history is known (everyone had seen it), so the push is not a forgery, and
    /// without the versions the server stripped it merges into the server's state.
    @Test func aRecordMetAgainAcceptsTheForgottenHistoryUnderTheStableVector() {
        let c = NodeID.fixed(3)
        let created = RecordState(type: "member", id: "m1").applyingLocalWrite(
            ["name": .text("张三"), "phone": .text("13800000000")], dot: Dot(node: a, counter: 1), wallTime: 10)
        let tombstone = created.applyingLocalWrite(
            [RecordState.lifecycleField: RecordState.deleted], dot: Dot(node: a, counter: 2), wallTime: 20)
        let stable = tombstone.vector
        // What met it again: a restored copy's create, renumbered under c.
        let metAgain = RecordState(type: "member", id: "m1").applyingLocalWrite(
            ["name": .text("张三")], dot: Dot(node: c, counter: 7), wallTime: 30)
        let heldByB = RecordMerge.merge(local: tombstone, incoming: metAgain).state
        let pushed = TombstoneCollection.strippingForgotten(heldByB, held: metAgain, stable: stable)
        #expect(pushed.fields.values.allSatisfy { $0.versions.allSatisfy { $0.dot.node == c } })
        let merged = RecordMerge.merge(local: metAgain, incoming: pushed).state
        #expect(merged.vector == heldByB.vector)
        let violation = WriteAuthorship.violation(
            incoming: pushed, current: metAgain, merged: merged, isAuthor: { $0 == b }, stable: stable)
        #expect(violation == nil)
        // Beyond the stable vector, the same history is still another node's: refused.
        let beyond = WriteAuthorship.violation(
            incoming: pushed, current: metAgain, merged: merged, isAuthor: { $0 == b },
            stable: VersionVector([a: 1]))
        #expect(beyond?.kind == .foreignHistory)
    }
}

/// Erasing under another node's dot is allowed only with a write of one's own: a delete.
@Suite("Erasure authorship")
struct ErasureAuthorshipTests {
    let a = NodeID.fixed(1)
    let b = NodeID.fixed(2)

    @Test func aDeleteMayEraseOtherNodesValuesButNothingElseMay() {
        let held = RecordState(type: "member", id: "m1").applyingLocalWrite(
            ["name": .text("张三"), "phone": .text("13800000000")], dot: Dot(node: a, counter: 1), wallTime: 10)
        let isAuthor: (NodeID) -> Bool = { $0 == b }

        let deleted = held.applyingLocalWrite(
            [RecordState.lifecycleField: RecordState.deleted], dot: Dot(node: b, counter: 1), wallTime: 20)
        let merged = RecordMerge.merge(local: held, incoming: deleted).state
        #expect(WriteAuthorship.violation(incoming: deleted, current: held, merged: merged, isAuthor: isAuthor) == nil)

        // The same erasure with no write of b's own: a forgery that wipes a's data.
        let wiped = held.erasingValues()
        let wipedMerge = RecordMerge.merge(local: held, incoming: wiped).state
        let violation = WriteAuthorship.violation(
            incoming: wiped, current: held, merged: wipedMerge, isAuthor: isAuthor)
        #expect(violation?.kind == .rewrittenVersion)

        // A value may never come back under an erased dot, even with a write of one's own.
        var revived = deleted.applyingLocalWrite(["notes": .text("x")], dot: Dot(node: b, counter: 2), wallTime: 30)
        revived.fields["name"] = held.fields["name"]
        let revivedMerge = RecordMerge.merge(local: deleted, incoming: revived).state
        #expect(
            WriteAuthorship.violation(incoming: revived, current: deleted, merged: revivedMerge, isAuthor: isAuthor)?
                .kind == .rewrittenVersion)
    }
}
