import Replica
import SyncClient
import SyncCore
import SyncServer

/// One replica of the simulation: a center or hub syncing with the server, or a laptop syncing
/// with its hub (and now and then with the server, with the same token).
///
/// A value: when the node's replica is replaced (upgraded, restored from a backup) or it is
/// given a new token (readmitted), the world stores a new value under the same name and id.
struct SimulatedNode: Sendable, CustomStringConvertible {
    enum Kind: Sendable, Hashable {
        /// A service center that syncs with the server directly.
        case center
        /// A center that serves laptops and carries their changes to the server (registered with `canForward`).
        case hub
        /// A field volunteer's laptop, registered at the center with this node id and syncing
        /// with it; once that center has told the server about it, it may also sync with the server.
        case laptop(hub: NodeID)
    }

    let name: String
    let kind: Kind
    /// The token the node's requests carry; the server authenticates every one (a revoked
    /// node's token is refused, a readmitted node gets a new one). A laptop's was issued by its
    /// hub, and the server knows it once the hub has registered the laptop there.
    var token: String
    var replica: Replica
    /// Page sizes of this node's syncs (small ones make a sync take many requests).
    let configuration: SyncEngine.Configuration
    let wallClock: @Sendable () -> Int64

    var id: NodeID { replica.nodeID }
    /// The declarations the node's release knows (`OlderRelease.catalog` until it is upgraded).
    var catalog: RecordCatalog { replica.catalog }

    /// Whether the node's upstream is the server (centers and hubs; a laptop's is its hub).
    var syncsWithServer: Bool { !isLaptop }

    var isLaptop: Bool {
        if case .laptop = kind { return true }
        return false
    }

    var isCenter: Bool { kind == .center }

    var description: String { name }
}
