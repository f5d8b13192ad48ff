import Foundation
public import HearthProtocol
public import Replica
public import SyncCore

/// `hearth bundle import`: applies a verified change file with exactly the rules of a sync.
///
/// Who signed the file decides how it is taken in:
/// - a laptop registered here (this node serves it): as that laptop's push, through the same
///   `SyncService` a `hearth serve` answers with, so authorship (a laptop passes on only its
///   own new writes), validation and merge are those of HTTP sync, in one transaction;
/// - this replica's upstream hub, with the key it gave at the last sync: as a pulled page;
/// - anyone else: refused, since nothing here could tell whose writes it holds.
public enum ChangeFileImport {
    /// What importing did.
    public struct Outcome: Sendable, Hashable {
        public var signer: NodeID
        public var signerName: String
        public var changes = 0
        public var accepted = 0
        public var alreadyKnown = 0
        public var conflicts = 0
        /// The changes left out, as a push's refusals: by position, with the reason, never a value.
        public var refused: [String] = []
    }

    public static func apply(_ file: ChangeFile, to replica: Replica) async throws -> Outcome {
        guard let signer = NodeID(file.header.signer) else {
            throw ReplicaError(.invalidInput, "the change file names no valid signer")
        }
        guard signer != replica.nodeID else {
            throw ReplicaError(
                .refused, "this change file was made by this replica; import it at the node it was made for")
        }
        if try SQLiteServerStore.hasLaptops(replica) {
            let hub = try SQLiteServerStore.hub(replica)
            if let laptop = try hub.nodes().first(where: { $0.id == signer }) {
                return try await applyFromLaptop(file, laptop: laptop, hub: hub)
            }
        }
        if try replica.upstreamNodeID() == signer {
            return try applyFromUpstream(file, signer: signer, replica: replica)
        }
        throw ReplicaError(
            .refused,
            "this change file was signed by node \(signer), which is neither a laptop registered here "
                + "(`hearth node list`) nor this replica's hub; import it at the center that serves that laptop")
    }

    private static func applyFromLaptop(_ file: ChangeFile, laptop: RegisteredNode, hub: SQLiteServerStore)
        async throws -> Outcome
    {
        guard !laptop.isRevoked else {
            throw ReplicaError(.refused, "laptop \(laptop.id) was revoked here; its change files are refused")
        }
        guard try hub.signingKeys(of: laptop.id).contains(file.header.signingKey) else {
            throw ReplicaError(
                .refused,
                "this change file is signed with a key this center does not know for laptop \(laptop.id); sync "
                    + "the laptop with this center over the network once (it then presents its key), or export again")
        }
        var lineage: PushLineage?
        if let writer = file.header.lineageWriter, let counter = file.header.lineageCounter {
            lineage = PushLineage(writer: writer, counter: counter, tag: file.header.lineageTag ?? "")
        }
        let response = try await SyncService(store: hub).push(states: file.states, from: laptop, lineage: lineage)
        var outcome = Outcome(signer: laptop.id, signerName: laptop.name)
        outcome.changes = file.states.count
        outcome.accepted = response.accepted
        outcome.alreadyKnown = response.alreadyKnown
        outcome.conflicts = response.conflicts
        outcome.refused = response.refused.map { "change \($0.index): \($0.message)" }
        return outcome
    }

    private static func applyFromUpstream(_ file: ChangeFile, signer: NodeID, replica: Replica) throws -> Outcome {
        guard let key = try replica.upstreamSigningKey(), key.hex == file.header.signingKey else {
            throw ReplicaError(
                .refused,
                "this change file is signed by this replica's upstream with a key it did not give at the last sync; "
                    + "sync with it over the network once, or ask for the file again")
        }
        let applied = try replica.applyUpstreamStates(file.states)
        let names = try replica.read { reader in try reader.nodeNames() }
        var outcome = Outcome(signer: signer, signerName: names[signer] ?? signer.short)
        outcome.changes = file.states.count
        outcome.accepted = applied.changed
        outcome.alreadyKnown = applied.received - applied.changed
        outcome.conflicts = applied.conflictsOpened
        return outcome
    }
}
