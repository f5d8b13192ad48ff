import Replica
import SyncCore

/// A node's writes moved to a new writer identity at the start of a sync (`Replica.reconcile`:
/// a restored copy that lost writes, or a node readmitted after a revoke), as the model must
/// follow it.
///
/// The replica renumbers every own write after the watermark (the counter up to which the server
/// had acknowledged them all) under a fresh identity. The old dots of those writes then exist
/// only where they had already arrived: on the server if a push reached it whose answer was lost.
/// Everything else about them now lives under the new dots, in the node's own states.
struct WriteRenumbering {
    /// The node's writer identity and watermark before a sync.
    struct Mark {
        var writer: NodeID
        /// What `reconcile` renumbers after: min(pushed counter, counter).
        var watermark: UInt64
        /// The writer's newest write number.
        var counter: UInt64

        init(_ replica: Replica) throws {
            writer = try replica.currentWriter()
            (watermark, counter) = try replica.read { reader in
                let pushed = UInt64(try reader.setting("pushed_counter") ?? "0") ?? 0
                let counter = UInt64(try reader.setting("counter") ?? "0") ?? 0
                return (min(pushed, counter), counter)
            }
        }
    }

    var node: NodeID
    var nodeName: String
    var oldWriter: NodeID
    var newWriter: NodeID
    /// Writes of `oldWriter` up to this number kept their dots.
    var watermark: UInt64
    /// What the node's upstream (the server, or a laptop's hub) held right after, with the
    /// node's pushes still held in the network (they arrive later): an old dot survives where
    /// this covers it.
    var server: ConvergenceModel.ServerView
    /// The node's states that carry writes of the new identity: the renumbered writes (and any
    /// made during that sync).
    var renumbered: [RecordState]

    /// The renumbering a sync of `node` did, if its writer identity changed since `mark`;
    /// `upstream` reads what the upstream it synced with holds.
    static func detect(
        on node: SimulatedNode, since mark: Mark, upstream: () async throws -> ConvergenceModel.ServerView
    ) async throws -> WriteRenumbering? {
        let writer = try node.replica.currentWriter()
        guard writer != mark.writer else { return nil }
        let own = try node.replica.read { reader in
            try ReplicaContents.allStates(reader).filter { $0.vector[writer] > 0 }
        }
        return WriteRenumbering(
            node: node.id, nodeName: node.name, oldWriter: mark.writer, newWriter: writer, watermark: mark.watermark,
            server: try await upstream(), renumbered: own)
    }
}
