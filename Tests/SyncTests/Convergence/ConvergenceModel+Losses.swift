import SyncCore

/// How the model follows the two legitimate ways writes disappear (see `ConvergenceModel`).
///
/// In both, whether one write of a node reached the server is read from the server's vector
/// of the record: every write of one writer identity to one record comes from one line of
/// copies, so a vector entry at or above the write's counter means the server merged a state
/// that held it. A record the server does not hold (never sent, or collected) counts as not
/// reached: a collected tombstone was the state of a delete that had seen the write, and that
/// delete's own note keeps the write's dot.
extension ConvergenceModel {
    /// Notes that a backup of `node`'s replica was taken now: the notes so far are in it.
    mutating func noteBackup(of node: NodeID) {
        backupMarks[node] = nextSequence
    }

    /// `node`'s replica was replaced by its latest backup, which holds writes up to `copy`
    /// (its writer identity and counter). The writes made on the lost copy after the backup are
    /// gone unless they reached the server (`serverVectors`, after the node's delayed pushes
    /// arrived); the writes made from now on are on a new copy. Returns how many were lost.
    mutating func restore(_ node: NodeID, copy: Dot, serverVectors: [String: VersionVector]) -> Int {
        let mark = backupMarks[node] ?? 0
        let lost = drop { note in
            guard note.sequence >= mark, note.node == node, let dot = note.dot else { return false }
            return !Self.reached(dot, of: note.state, serverVectors)
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
        let dropped = drop { note in
            guard note.node == node, let dot = note.dot, dot.node == renumbering.oldWriter,
                dot.counter > renumbering.watermark
            else { return false }
            if let restored, note.generation == generation, dot.node == restored.node, dot.counter > restored.counter {
                return true
            }
            return !Self.reached(dot, of: note.state, renumbering.serverVectors)
        }
        // Each under its newest dot of the new identity, so that a later renumbering (a sync cut
        // short before the re-synchronisation began renumbers again) can drop it in turn.
        for state in renumbering.renumbered {
            let dot = Dot(node: renumbering.newWriter, counter: state.vector[renumbering.newWriter])
            add(Note(node: node, generation: generation, dot: dot, state: state))
        }
        return dropped
    }

    /// Whether the server's vector of the record `state` belongs to covers `dot`.
    private static func reached(_ dot: Dot, of state: RecordState, _ serverVectors: [String: VersionVector])
        -> Bool
    {
        (serverVectors[ReplicaContents.key(state)]?[dot.node] ?? 0) >= dot.counter
    }
}
