import Replica
import SyncCore

/// Records a replica deleted again by itself while taking changes in, as the model must follow it.
///
/// A pulled (or imported) state of a record the replica collected, covered by the stable vector
/// it holds, is a zombie (PROTOCOL.md §22.3): the replica takes it in and deletes it again at
/// once with a new write of its own. A laptop meets them when it moves between upstreams that
/// adopted different stable vectors (it collected a record at the central office that its hub
/// still holds). The new tombstones are writes like any other: the model must know them, or it
/// would miss the deletes that reach every replica.
struct Redeletion {
    var node: NodeID
    var writer: NodeID
    /// The tombstones that carry writes of `writer` made since the mark (a write staff made
    /// during the same sync may be among them: the model takes a state twice without harm).
    var states: [RecordState]

    /// The deletes `node`'s replica wrote since `mark`, if its writer identity did not change
    /// (a renumbering is `WriteRenumbering`'s) and its counter moved.
    static func detect(on node: SimulatedNode, since mark: WriteRenumbering.Mark) throws -> Redeletion? {
        let after = try WriteRenumbering.Mark(node.replica)
        guard after.writer == mark.writer, after.counter > mark.counter else { return nil }
        let tombstones = try node.replica.read { reader in
            try ReplicaContents.allStates(reader).filter { $0.isDeleted && $0.vector[mark.writer] > mark.counter }
        }
        guard !tombstones.isEmpty else { return nil }
        return Redeletion(node: node.id, writer: mark.writer, states: tombstones)
    }
}
