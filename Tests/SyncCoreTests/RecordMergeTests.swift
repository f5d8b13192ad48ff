import SyncCore
import Testing

@Suite("RecordMerge scenarios")
struct RecordMergeTests {
    let x = NodeID.fixed(1)
    let y = NodeID.fixed(2)
    let z = NodeID.fixed(3)
    let id = "0b7e4a2c-1d3f-4a5b-8c6d-7e8f90a1b2c3"

    func write(
        _ base: RecordState?, _ values: [String: FieldValue], by node: NodeID, _ counter: UInt64,
        wallTime: Int64 = 1_000
    ) -> RecordState {
        (base ?? RecordState(type: "member", id: id))
            .applyingLocalWrite(values, dot: Dot(node: node, counter: counter), wallTime: wallTime)
    }

    /// X creates 张三; Y and Z both receive that state.
    var created: RecordState {
        write(nil, ["name": .text("张三"), "phone": .text("13800000000")], by: x, 1)
    }

    @Test func localWriteStampsTheNewDotOnWrittenFieldsAndTheLifecycle() {
        let state = write(created, ["phone": .text("13900000000")], by: y, 4)
        #expect(state.vector == VersionVector([x: 1, y: 4]))
        #expect(state.fields["phone"]?.versions.map(\.dot) == [Dot(node: y, counter: 4)])
        #expect(state.fields["name"]?.shown.dot == Dot(node: x, counter: 1))
        #expect(
            state.fields[RecordState.lifecycleField]?.shown
                == FieldVersion(
                    value: RecordState.alive, dot: Dot(node: y, counter: 4), wallTime: 1_000))
        #expect(!state.isDeleted)
        #expect(state.shownValues == ["name": .text("张三"), "phone": .text("13900000000")])
        #expect(state.mentionedDots.contains(Dot(node: y, counter: 4)))
    }

    @Test func unknownRecordIsCreatedAsIncoming() {
        let result = RecordMerge.merge(local: nil, incoming: created)
        #expect(result.outcome == .created)
        #expect(result.state == created)
        #expect(result.conflictsOpened.isEmpty)
        #expect(result.changesLocalState)
    }

    @Test func newerIncomingStateFastForwards() {
        let edited = write(created, ["phone": .text("13911112222")], by: y, 1)
        let result = RecordMerge.merge(local: created, incoming: edited)
        #expect(result.outcome == .fastForward)
        #expect(result.state == edited)
        #expect(result.conflictsOpened.isEmpty && result.conflictsClosed.isEmpty)
    }

    @Test func equalOrOlderIncomingStateIsAlreadyKnown() {
        let edited = write(created, ["phone": .text("13911112222")], by: y, 1)
        for incoming in [edited, created] {
            let result = RecordMerge.merge(local: edited, incoming: incoming)
            #expect(result.outcome == .alreadyKnown)
            #expect(result.state == edited)
            #expect(!result.changesLocalState)
        }
    }

    @Test func concurrentEditsOfDifferentFieldsMergeWithoutConflict() {
        let atY = write(created, ["phone": .text("13911112222")], by: y, 1)
        let atZ = write(created, ["employer": .text("深圳市宝安建筑有限公司")], by: z, 1)
        let mergedAtY = RecordMerge.merge(local: atY, incoming: atZ)
        let mergedAtZ = RecordMerge.merge(local: atZ, incoming: atY)
        #expect(mergedAtY.outcome == .merged)
        #expect(mergedAtY.state == mergedAtZ.state)
        #expect(mergedAtY.state.conflictedFields.isEmpty)
        #expect(mergedAtY.conflictsOpened.isEmpty)
        #expect(mergedAtY.state.value("phone") == .text("13911112222"))
        #expect(mergedAtY.state.value("employer") == .text("深圳市宝安建筑有限公司"))
        #expect(mergedAtY.state.value("name") == .text("张三"))
        #expect(mergedAtY.state.vector == VersionVector([x: 1, y: 1, z: 1]))
        #expect(!mergedAtY.state.isDeleted)
    }

    @Test func concurrentEditsOfTheSameFieldConflictWithTheSameWinnerInEitherOrder() throws {
        let atY = write(created, ["phone": .text("13911112222")], by: y, 7)
        let atZ = write(created, ["phone": .text("13633334444")], by: z, 2)
        let mergedAtY = RecordMerge.merge(local: atY, incoming: atZ)
        let mergedAtZ = RecordMerge.merge(local: atZ, incoming: atY)
        #expect(mergedAtY.state == mergedAtZ.state)
        #expect(mergedAtY.state.conflictedFields == ["phone"])
        #expect(mergedAtY.conflictsOpened == ["phone"])
        #expect(mergedAtZ.conflictsOpened == ["phone"])
        // The greater counter wins, although Z's node id is greater.
        #expect(mergedAtY.state.value("phone") == .text("13911112222"))
        let versions = try #require(mergedAtY.state.fields["phone"]).versions
        #expect(versions.map(\.dot) == [Dot(node: y, counter: 7), Dot(node: z, counter: 2)])
        #expect(mergedAtY.state.vector == VersionVector([x: 1, y: 7, z: 2]))
    }

    @Test func equalCountersAreBrokenByTheGreaterNodeID() {
        let atY = write(created, ["phone": .text("13911112222")], by: y, 3)
        let atZ = write(created, ["phone": .text("13633334444")], by: z, 3)
        for merged in [RecordMerge.join(atY, atZ), RecordMerge.join(atZ, atY)] {
            #expect(merged.value("phone") == .text("13633334444"))
            #expect(merged.conflictedFields == ["phone"])
        }
    }

    @Test func wallTimeNeverAffectsTheWinner() {
        // Y's clock is years ahead and Z's far behind: the dots alone decide.
        let atY = write(created, ["phone": .text("13911112222")], by: y, 2, wallTime: 9_000_000_000_000)
        let atZ = write(created, ["phone": .text("13633334444")], by: z, 5, wallTime: 1)
        let merged = RecordMerge.join(atY, atZ)
        #expect(merged.value("phone") == .text("13633334444"))
        let swappedClocks = RecordMerge.join(
            atY.withWallTimes { _ in 1 }, atZ.withWallTimes { _ in 9_000_000_000_000 })
        #expect(swappedClocks.shownDots == merged.shownDots)
    }

    @Test func concurrentWritesOfTheSameValueAreNoConflict() {
        let atY = write(created, ["phone": .text("13911112222")], by: y, 1)
        let atZ = write(created, ["phone": .text("13911112222")], by: z, 1)
        let merged = RecordMerge.merge(local: atY, incoming: atZ)
        #expect(merged.state.fields["phone"]?.versions.count == 2)
        #expect(merged.state.conflictedFields.isEmpty)
        #expect(merged.conflictsOpened.isEmpty)
    }

    @Test func threeConcurrentEditsKeepEveryVersionInWinnerOrder() throws {
        let atX = write(created, ["notes": .text("甲")], by: x, 2)
        let atY = write(created, ["notes": .text("乙")], by: y, 2)
        let atZ = write(created, ["notes": .text("丙")], by: z, 1)
        let orders = [
            RecordMerge.join(RecordMerge.join(atX, atY), atZ),
            RecordMerge.join(atZ, RecordMerge.join(atY, atX)),
            RecordMerge.join(RecordMerge.join(atZ, atX), atY),
        ]
        #expect(orders.allSatisfy { $0 == orders[0] })
        let notes = try #require(orders[0].fields["notes"])
        #expect(notes.versions.map(\.value) == [.text("乙"), .text("甲"), .text("丙")])
        #expect(notes.isConflicted)
    }

    @Test func resolutionByALaterLocalWriteClosesTheConflictEverywhere() {
        let atY = write(created, ["phone": .text("13911112222")], by: y, 1)
        let atZ = write(created, ["phone": .text("13633334444")], by: z, 1)
        // X hears of both and resolves by writing the phone it keeps.
        let atX = RecordMerge.join(RecordMerge.join(created, atY), atZ)
        #expect(atX.conflictedFields == ["phone"])
        let resolved = write(atX, ["phone": .text("13633334444")], by: x, 2)
        #expect(resolved.conflictedFields.isEmpty)
        #expect(resolved.fields["phone"]?.versions.count == 1)
        #expect(resolved.vector == VersionVector([x: 2, y: 1, z: 1]))

        // Y (which merged the conflict itself) and Z (which never saw Y's edit) both close it.
        let mergedAtY = RecordMerge.merge(local: RecordMerge.join(atY, atZ), incoming: resolved)
        #expect(mergedAtY.outcome == .fastForward)
        #expect(mergedAtY.conflictsClosed == ["phone"])
        let mergedAtZ = RecordMerge.merge(local: atZ, incoming: resolved)
        #expect(mergedAtZ.state == resolved)
        #expect(mergedAtZ.conflictsOpened.isEmpty)

        // A late or duplicate delivery of either side never reopens it.
        for stale in [atY, atZ, RecordMerge.join(atY, atZ)] {
            let again = RecordMerge.merge(local: resolved, incoming: stale)
            #expect(again.outcome == .alreadyKnown)
            #expect(again.state.conflictedFields.isEmpty)
        }
    }

    @Test func writeConcurrentWithAResolutionIsAFreshConflictNotTheOldOne() {
        let atY = write(created, ["phone": .text("13911112222")], by: y, 1)
        let atZ = write(created, ["phone": .text("13633334444")], by: z, 1)
        let resolved = write(RecordMerge.join(atY, atZ), ["phone": .text("13633334444")], by: x, 2)
        let laterAtY = write(atY, ["phone": .text("13700000000")], by: y, 2)
        let merged = RecordMerge.join(resolved, laterAtY)
        #expect(merged.conflictedFields == ["phone"])
        // Z's old version was superseded by the resolution; only the two live versions remain.
        #expect(
            Set(merged.fields["phone"]!.versions.map(\.dot)) == [Dot(node: x, counter: 2), Dot(node: y, counter: 2)])
    }

    @Test func deleteVersusConcurrentEditKeepsTheRecordAliveWithALifecycleConflict() {
        let deletedAtY = write(created, [RecordState.lifecycleField: RecordState.deleted], by: y, 9)
        #expect(deletedAtY.isDeleted)
        let editedAtZ = write(created, ["phone": .text("13633334444")], by: z, 1)
        let mergedAtY = RecordMerge.merge(local: deletedAtY, incoming: editedAtZ)
        let mergedAtZ = RecordMerge.merge(local: editedAtZ, incoming: deletedAtY)
        #expect(mergedAtY.state == mergedAtZ.state)
        // Alive wins although the delete carries the greater dot: nothing is silently lost.
        #expect(!mergedAtY.state.isDeleted)
        #expect(mergedAtY.state.conflictedFields == [RecordState.lifecycleField])
        #expect(mergedAtY.conflictsOpened == [RecordState.lifecycleField])
        #expect(mergedAtY.state.value("phone") == .text("13633334444"))
        // The delete erased the name, and the edit did not write it: it stays erased.
        #expect(mergedAtY.state.value("name") == .null)
    }

    @Test func deletingAgainAfterADeleteConflictDeletesEverywhere() {
        let deletedAtY = write(created, [RecordState.lifecycleField: RecordState.deleted], by: y, 1)
        let editedAtZ = write(created, ["phone": .text("13633334444")], by: z, 1)
        let conflicted = RecordMerge.join(deletedAtY, editedAtZ)
        let deletedAgain = write(conflicted, [RecordState.lifecycleField: RecordState.deleted], by: y, 2)
        #expect(deletedAgain.isDeleted)
        #expect(deletedAgain.conflictedFields.isEmpty)
        let atZ = RecordMerge.merge(local: RecordMerge.join(editedAtZ, deletedAtY), incoming: deletedAgain)
        #expect(atZ.state.isDeleted)
        #expect(atZ.conflictsClosed == [RecordState.lifecycleField])
    }

    @Test func concurrentDeletesAreNoConflict() {
        let atY = write(created, [RecordState.lifecycleField: RecordState.deleted], by: y, 1)
        let atZ = write(created, [RecordState.lifecycleField: RecordState.deleted], by: z, 1)
        let merged = RecordMerge.join(atY, atZ)
        #expect(merged.isDeleted)
        #expect(merged.conflictedFields.isEmpty)
    }

    @Test func recreatingADeletedRecordMakesItAliveAgain() {
        let deleted = write(created, [RecordState.lifecycleField: RecordState.deleted], by: x, 2)
        let recreated = write(deleted, ["name": .text("张三丰")], by: x, 3)
        #expect(!recreated.isDeleted)
        #expect(recreated.value("name") == .text("张三丰"))
        #expect(RecordMerge.merge(local: deleted, incoming: recreated).outcome == .fastForward)
    }

    @Test func fieldStateShowsTheWinnerFirst() {
        let low = FieldVersion(value: .text("a"), dot: Dot(node: z, counter: 1), wallTime: 99)
        let high = FieldVersion(value: .text("b"), dot: Dot(node: x, counter: 2), wallTime: 1)
        let state = FieldState(field: "notes", versions: [low, high])
        #expect(state.shown == high)
        #expect(state.isConflicted)
        #expect(state.contains(low.dot))
        #expect(!FieldState(single: low).isConflicted)
        let lifecycle = FieldState(
            field: RecordState.lifecycleField,
            versions: [
                FieldVersion(value: RecordState.deleted, dot: Dot(node: z, counter: 9), wallTime: 0),
                FieldVersion(value: RecordState.alive, dot: Dot(node: x, counter: 1), wallTime: 0),
            ])
        #expect(lifecycle.shown.value == RecordState.alive)
    }
}
