import Foundation
public import HearthProtocol
public import Replica
public import SyncCore

/// `hearth bundle export`: what a change file made here carries, for whom.
public enum ChangeFileExport {
    /// Whom the file is for, which decides what it carries.
    public enum Recipient: Sendable, Hashable {
        /// Everything this replica holds.
        case anyone
        /// This replica's upstream (its hub or the central office): what it has not acknowledged.
        case upstream(NodeID)
        /// A laptop registered here: what changed since its last complete pull, but its own.
        case laptop(RegisteredNode)
    }

    /// Who `name` (a node id, or a registered laptop's name) is to this replica.
    public static func recipient(named name: String?, replica: Replica) throws -> Recipient {
        guard let name else { return .anyone }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if let upstream = try replica.upstreamNodeID(), trimmed == upstream.rawValue { return .upstream(upstream) }
        if try SQLiteServerStore.hasLaptops(replica) {
            let laptops = try SQLiteServerStore.hub(replica).nodes().filter { !$0.isRevoked }
            if let laptop = laptops.first(where: { $0.id.rawValue == trimmed.lowercased() || $0.name == trimmed }) {
                return .laptop(laptop)
            }
        }
        throw ReplicaError(
            .notFound,
            "--for names neither this replica's upstream (its hub or the central office, known after one sync) nor a "
                + "laptop registered here (`hearth node list`); leave --for out to write everything")
    }

    /// The change file for `recipient`, signed with this replica's key.
    public static func make(replica: Replica, for recipient: Recipient, at time: Int64) throws -> ChangeFile {
        let states: [RecordState]
        var madeFor: NodeID?
        switch recipient {
        case .anyone:
            states = try replica.allStates()
        case .upstream(let upstream):
            madeFor = upstream
            states = try replica.pendingRecords(limit: Int.max).map(\.state)
        case .laptop(let laptop):
            madeFor = laptop.id
            states = try missing(at: laptop, replica: replica)
        }
        let lineage = try replica.lineage()
        let header = ChangeFile.Header(
            signer: replica.nodeID.rawValue, signingKey: try replica.signingKey().publicKey.hex, createdAt: time,
            madeFor: madeFor?.rawValue, changes: states.count, payloadBytes: 0,
            lineageWriter: lineage.writer.rawValue, lineageCounter: lineage.counter, lineageTag: lineage.tag)
        return ChangeFile(header: header, states: states)
    }

    /// What a laptop lacks: the feed after the position it last caught up from, leaving out
    /// states that came verbatim from it, as its next pull would get them.
    static func missing(at laptop: RegisteredNode, replica: Replica) throws -> [RecordState] {
        var states: [RecordState] = []
        var cursor = laptop.lastPullCursor
        while true {
            let page = try replica.feedPage(after: cursor, for: laptop.id, limit: 5_000)
            states += page.states
            guard page.hasMore else { return states }
            cursor = page.nextCursor
        }
    }
}
