import Foundation
import GRDB
import Replica
import SyncCore
import Testing

/// A replica that renumbers its unacknowledged writes under a new writer identity
/// (`Replica.reconcile`, PROTOCOL.md §16.2 and §22.4) keeps record vectors that name only
/// writes that exist, so tombstones stay collectable.
@Suite("Renumbering")
struct RenumberingTests {
    let member = HearthSchema.member

    /// An identity taken by an earlier renumbering (here a readmission's) starts far above the
    /// counter up to which the server acknowledged every write. When it is renumbered in turn
    /// before anything of it was acknowledged (the replica is then found to have lost writes),
    /// its records must not keep an entry of it up to that counter, a number it never wrote:
    /// the server never settles it, and their tombstones could never be collected.
    @Test func renumberingAnIdentityTakenByAnEarlierRenumberingNamesNoWriteItNeverMade() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("志愿者笔记本", nodeID: .fixed(1))
            let kept = try replica.write { tx in try tx.insert(member, ["name": .text("周九")]) }
            try replica.acknowledge(try replica.pendingRecords(limit: 10))
            let pending = try replica.write { tx in try tx.insert(member, ["name": .text("吴十")]) }
            #expect(try replica.lineage().counter == 2)

            // Readmitted: the server settled the node's writes up to 1, the only ones it has.
            let server = WriteLineage(writer: .fixed(1), counter: 1, tag: try tag(of: 1, replica))
            let first = try replica.reconcile(serverEpoch: "epoch", server: server, highestCounter: 1, mustResync: true)
            #expect(first.writesRenumbered == 1)
            let taken = try replica.currentWriter()
            // The server then holds another write under that identity: this copy lost writes.
            let other = WriteLineage(writer: taken, counter: 3, tag: "another copy's write")
            let second = try replica.reconcile(serverEpoch: "epoch", server: other, highestCounter: 3)
            #expect(second.writesRenumbered == 1)
            let current = try replica.currentWriter()
            #expect(current != taken)

            let state = try #require(try replica.read { try $0.record(member, id: pending.id) })
            #expect(state.vector[taken] == 0, "the vector names \(taken.short):\(state.vector[taken]), never written")
            #expect(try replica.read { try $0.record(member, id: kept.id) }?.vector[.fixed(1)] == 1)

            // Deleted and made stable (the server settles the writes that exist): it is collected.
            let tombstone = try replica.write { tx in try tx.delete(member, id: pending.id) }
            let stable = VersionVector([.fixed(1): 1, current: tombstone.vector[current]])
            #expect(try replica.adoptStableVector(stable) == 1)
            #expect(try replica.tombstoneCount() == 0)
        }
    }

    /// The server says re-synchronise at every session until the readmitted node's pull from 0
    /// reaches it. A sync cut short after the first session must not renumber again: the
    /// identity it took is fresh, its writes may have reached the server (they would then be
    /// there twice), and retiring it would leave those still in flight never settled.
    @Test func aReadmittedNodeRenumbersOncePerReadmission() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("志愿者笔记本", nodeID: .fixed(1))
            try replica.write { tx in try tx.insert(member, ["name": .text("周九")]) }
            let server = WriteLineage(writer: .fixed(1), counter: 0, tag: "")
            let first = try replica.reconcile(serverEpoch: "epoch", server: server, highestCounter: 0, mustResync: true)
            #expect(first.writesRenumbered == 1 && first.resynchronising)
            let taken = try replica.currentWriter()
            #expect(taken != .fixed(1))

            let again = WriteLineage(writer: taken, counter: 0, tag: "")
            let second = try replica.reconcile(serverEpoch: "epoch", server: again, highestCounter: 0, mustResync: true)
            #expect(second.writesRenumbered == 0)
            #expect(try replica.currentWriter() == taken)

            // Once the re-synchronisation ends, a later readmission renumbers again.
            _ = try replica.applyPulledPage([], cursor: 0, nodeNames: [:], stable: .empty)
            #expect(try !replica.isResyncing())
            let later = try replica.reconcile(serverEpoch: "epoch", server: again, highestCounter: 0, mustResync: true)
            #expect(later.writesRenumbered == 1)
            #expect(try replica.currentWriter() != taken)
        }
    }

    /// The random tag of this replica's write `counter`, as its pushes tell the server.
    func tag(of counter: Int64, _ replica: Replica) throws -> String {
        try replica.read { reader in
            try String.fetchOne(reader.db, sql: "SELECT tag FROM change_log WHERE counter = ?", arguments: [counter])
        } ?? ""
    }
}
