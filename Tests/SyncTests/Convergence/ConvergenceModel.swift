import SyncCore

/// What every replica must hold once all changes have reached it: for each record, the join
/// of every state that a committed local write produced, anywhere, and that still exists.
///
/// Record states form a join semilattice (`RecordMerge.join`), and every state a replica can
/// hold is a join of states produced by local writes. So after a full sync each replica must
/// hold exactly this join: not merely the same as the others (they could all have lost the
/// same write), but everything that was written, with every concurrent version kept.
///
/// Writes can legitimately disappear in two ways, which the schedule tells the model about: a
/// node restored from an older copy of its replica loses the writes made after the copy that
/// had not reached the server (`restore`), and a node whose writes are renumbered under a new
/// writer identity keeps them under new dots (`renumber`). So the model keeps each write as a
/// note of who made it, with which dot, on which copy of the node's replica.
struct ConvergenceModel {
    /// One state a local write produced.
    struct Note {
        /// Its place among all notes, in the order they were made (it never changes).
        var sequence = 0
        /// The node that wrote it (nil: not tracked, as in the checker's own tests).
        var node: NodeID?
        /// Which copy of the node's replica: 0, then one more at each restore.
        var generation: Int
        /// The write's dot: its writer identity and counter (nil: not tracked). A state the model
        /// took from a replica after a renumbering has the newest dot of the new identity.
        var dot: Dot?
        var state: RecordState
    }

    private(set) var notes: [Note] = []
    /// The sequence number the next note gets.
    private(set) var nextSequence = 0
    private(set) var expected: [String: RecordState] = [:]
    /// Records some write deleted: only those can have been collected and met again.
    private(set) var deletedOnce: Set<String> = []
    /// The current copy of each node's replica (absent: 0).
    var generations: [NodeID: Int] = [:]
    /// Where the latest copy of a restored node started: its writer identity and counter then.
    var restoredCopies: [NodeID: Dot] = [:]
    /// Each node's notes before this sequence number were in its latest backup (see `noteBackup`).
    var backupMarks: [NodeID: Int] = [:]

    /// Notes the states one write (or one transaction) of `node` produced under writer identity
    /// `writer`; each state's dot is its vector's entry for `writer`.
    mutating func note(_ states: [RecordState], by node: NodeID? = nil, writer: NodeID? = nil) {
        for state in states {
            let dot = writer.map { Dot(node: $0, counter: state.vector[$0]) }
            add(Note(node: node, generation: node.map { generations[$0] ?? 0 } ?? 0, dot: dot, state: state))
        }
    }

    mutating func add(_ note: Note) {
        var note = note
        note.sequence = nextSequence
        nextSequence += 1
        notes.append(note)
        join(note.state)
    }

    private mutating func join(_ state: RecordState) {
        let key = ReplicaContents.key(state)
        if state.isDeleted { deletedOnce.insert(key) }
        expected[key] = expected[key].map { RecordMerge.join($0, state) } ?? state
    }

    /// Drops the notes `isLost` picks and joins the others again.
    mutating func drop(where isLost: (Note) -> Bool) -> Int {
        let before = notes.count
        notes.removeAll(where: isLost)
        guard notes.count != before else { return 0 }
        expected = [:]
        deletedOnce = []
        for note in notes { join(note.state) }
        return before - notes.count
    }

    var conflicts: Set<ReplicaContents.ConflictSignature> {
        ReplicaContents.conflicts(in: expected.values)
    }

    /// The join of all writes after tombstone collection under `stable` (the server's stable
    /// vector, `TombstoneCollection`): a tombstone it covers is gone, and a record that was
    /// collected and then met again (revived by a write that had not seen the delete, or
    /// re-created over a tombstone the server had already forgotten) holds only what the
    /// collection rule leaves of it. `held` (the server's records) tells which records were met
    /// again that way: only there may the server's state be the stripped join.
    func collected(under stable: VersionVector, held: [String: RecordState]) -> [String: RecordState] {
        var result: [String: RecordState] = [:]
        for (key, joined) in expected {
            if TombstoneCollection.isCollectable(joined, stable: stable) { continue }
            if let server = held[key], server != joined, deletedOnce.contains(key),
                Self.isStripped(server, of: joined, under: stable)
            {
                result[key] = server
            } else {
                result[key] = joined
            }
        }
        return result
    }

    /// Whether `server` is `joined` without some of its versions under `stable`: what the
    /// collection rule leaves of a record met again after it was collected. The rule stripped
    /// the versions under the stable vector of that moment; it has only grown since, so which
    /// ones cannot be told from the final one, only that they are under it.
    ///
    /// The vector is the join's too, except for history under `stable` that the state which met
    /// the record again did not carry: a restored copy whose writes were renumbered keeps, of its
    /// old writer identity, only what the server had acknowledged (PROTOCOL.md §22.4), so a
    /// delete of that identity everyone has seen and forgotten is in no vector any more.
    static func isStripped(_ server: RecordState, of joined: RecordState, under stable: VersionVector) -> Bool {
        guard !stable.isEmpty, server.vector.isDominated(by: joined.vector) else { return false }
        for (writer, counter) in joined.vector.counters where server.vector[writer] != counter {
            guard counter <= stable[writer] else { return false }
        }
        for name in Set(server.fields.keys).union(joined.fields.keys) {
            let kept = server.fields[name]?.versions ?? []
            let all = joined.fields[name]?.versions ?? []
            guard kept.allSatisfy(all.contains),
                all.allSatisfy({ kept.contains($0) || stable.contains($0.dot) })
            else { return false }
        }
        return true
    }

    /// How many deleted records the join holds that `stable` lets every replica forget.
    func collectedCount(under stable: VersionVector) -> Int {
        expected.values.filter { TombstoneCollection.isCollectable($0, stable: stable) }.count
    }
}
