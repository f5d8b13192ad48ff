import Replica
import SyncCore

/// How the model follows the two legitimate ways writes disappear (see `ConvergenceModel`).
///
/// In both, whether one write of a node reached the server is read from the server's vector
/// of the record: every write of one writer identity to one record comes from one line of
/// copies, so a vector entry at or above the write's counter means the server merged a state
/// that held it. The writes to a record the server collected reached it too, although it holds
/// none of them any more (or only what met the record again): the model's join of the record is
/// a tombstone the stable vector covers, so all of them were settled.
extension ConvergenceModel {
    /// What the server held at one moment: enough to tell which writes had reached it.
    struct ServerView {
        /// The vector of each record, by `ReplicaContents.key`, joined with those of pushes still
        /// held in the network that will reach it.
        var vectors: [String: VersionVector]
        var stable: VersionVector

        /// The server's records and stable vector now, and the states of `inFlight` pushes.
        static func read(_ server: any ServerSide, inFlight: [RecordState] = []) async throws -> ServerView {
            joining(try await server.states() + inFlight, stable: try await server.stableVector())
        }

        /// What a hub serving laptops holds now (its own replica), and the states of `inFlight` pushes.
        static func read(_ hub: Replica, inFlight: [RecordState] = []) throws -> ServerView {
            let held = try hub.read { reader in try ReplicaContents.allStates(reader) }
            return joining(held + inFlight, stable: try hub.stableVector())
        }

        private static func joining(_ states: [RecordState], stable: VersionVector) -> ServerView {
            var vectors: [String: VersionVector] = [:]
            for state in states {
                let key = ReplicaContents.key(state)
                vectors[key] = vectors[key].map { $0.merged(with: state.vector) } ?? state.vector
            }
            return ServerView(vectors: vectors, stable: stable)
        }
    }

    /// Notes that a backup of `node`'s replica was taken now: the notes so far are in it.
    mutating func noteBackup(of node: NodeID) {
        backupMarks[node] = nextSequence
    }

    /// `node`'s replica was replaced by its latest backup, which holds writes up to `copy`
    /// (its writer identity and counter). The writes made on the lost copy after the backup are
    /// gone unless they reached the server (`server`, read after the node's delayed pushes
    /// arrived); the writes made from now on are on a new copy. Returns how many were lost.
    mutating func restore(_ node: NodeID, copy: Dot, server: ServerView) -> Int {
        let mark = backupMarks[node] ?? 0
        let collected = collectedKeys(server)
        let lost = drop { note in
            guard note.sequence >= mark, note.node == node, let dot = note.dot else { return false }
            return !Self.reached(dot, of: note.state, server, collected)
        }
        generations[node] = (generations[node] ?? 0) + 1
        restoredCopies[node] = copy
        return lost
    }

    /// A sync moved `renumbering.node`'s writes after the watermark to a new writer identity.
    /// Their old dots stay only where they reached the server; the node's states that carry the
    /// new dots join the model. A write made on a restored copy before its first sync
    /// never left it (the renumbering happens before anything is pushed), whatever the server
    /// holds under the same numbers from the lost copy. Returns how many old dots were dropped.
    mutating func renumber(_ renumbering: WriteRenumbering) -> Int {
        let node = renumbering.node
        let generation = generations[node] ?? 0
        let restored = restoredCopies[node]
        let collected = collectedKeys(renumbering.server)
        let dropped = drop { note in
            guard note.node == node, let dot = note.dot, dot.node == renumbering.oldWriter,
                dot.counter > renumbering.watermark
            else { return false }
            if let restored, note.generation == generation, dot.node == restored.node, dot.counter > restored.counter {
                return true
            }
            return !Self.reached(dot, of: note.state, renumbering.server, collected)
        }
        // Each under its newest dot of the new identity, so that a later renumbering (a sync cut
        // short before the re-synchronisation began renumbers again) can drop it in turn.
        for state in renumbering.renumbered {
            let dot = Dot(node: renumbering.newWriter, counter: state.vector[renumbering.newWriter])
            add(Note(node: node, generation: generation, dot: dot, state: state))
        }
        return dropped
    }

    /// The records whose join is a tombstone the server's stable vector covers: collected there
    /// (and perhaps met again since).
    private func collectedKeys(_ server: ServerView) -> Set<String> {
        Set(expected.filter { TombstoneCollection.isCollectable($0.value, stable: server.stable) }.keys)
    }

    /// Whether `dot`, a write to the record `state` belongs to, had reached the server.
    ///
    /// The server's stable vector covers only writes every node has: a write it covers reached
    /// the server even if the server has since collected its record (a tombstone the model's
    /// join no longer shows as one, because the restored copy wrote to the record again).
    private static func reached(_ dot: Dot, of state: RecordState, _ server: ServerView, _ collected: Set<String>)
        -> Bool
    {
        let key = ReplicaContents.key(state)
        return collected.contains(key) || server.stable.contains(dot)
            || (server.vectors[key]?[dot.node] ?? 0) >= dot.counter
    }
}
