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

    /// A readmitted node renumbers at every session until its re-synchronising pull reaches the
    /// server; when the first attempt is cut short, the identity it took is renumbered again
    /// before anything of it was acknowledged. The records must not keep an entry of that
    /// identity up to the old acknowledged counter (a number it never wrote): the server never
    /// settles it, and their tombstones could never be collected.
    @Test func renumberingAnIdentityTakenByAnEarlierRenumberingNamesNoWriteItNeverMade() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("志愿者笔记本", nodeID: .fixed(1))
            let kept = try replica.write { tx in try tx.insert(member, ["name": .text("周九")]) }
            try replica.acknowledge(try replica.pendingRecords(limit: 10))
            let pending = try replica.write { tx in try tx.insert(member, ["name": .text("吴十")]) }
            let acknowledged = try replica.lineage()
            #expect(acknowledged.counter == 2)

            // Readmitted: the server settled the node's writes up to 1, the only ones it has.
            let server = WriteLineage(writer: .fixed(1), counter: 1, tag: try tag(of: 1, replica))
            let first = try replica.reconcile(
                serverEpoch: "epoch", server: server, highestCounter: 1, mustResync: true)
            #expect(first.writesRenumbered == 1)
            let taken = try replica.currentWriter()
            // That sync was cut short; the next session still says re-synchronise.
            let again = WriteLineage(writer: taken, counter: 0, tag: "")
            _ = try replica.reconcile(serverEpoch: "epoch", server: again, highestCounter: 0, mustResync: true)
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

    /// The random tag of this replica's write `counter`, as its pushes tell the server.
    func tag(of counter: Int64, _ replica: Replica) throws -> String {
        try replica.read { reader in
            try String.fetchOne(reader.db, sql: "SELECT tag FROM change_log WHERE counter = ?", arguments: [counter])
        } ?? ""
    }
}
