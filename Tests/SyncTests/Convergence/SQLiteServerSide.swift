import Replica
import SyncCore
import SyncServer

/// The embedded default: one `SQLiteServerStore` behind one `SyncService`.
///
/// Its reads go to the server's own replica directly, which shows more than the `ServerStore`
/// interface does: the open-conflict index and a digest recomputed from the stored records.
struct SQLiteServerSide: ServerSide {
    let store: SQLiteServerStore
    let services: [SyncService]

    init(store: SQLiteServerStore, wallClock: @escaping @Sendable () -> Int64) {
        self.store = store
        services = [SyncService(store: store, wallClock: wallClock)]
    }

    /// The server's own replica.
    var replica: Replica { store.replica }
    var registry: any ServerStore { services[0].store }

    func states() async throws -> [RecordState] {
        try replica.read { reader in try ReplicaContents.allStates(reader) }
    }

    func contents() async throws -> ReplicaContents {
        try ReplicaContents.read(replica, name: "server")
    }

    func digest() async throws -> ReplicaDigest {
        try replica.read { try $0.digest() }
    }

    func stableVector() async throws -> VersionVector {
        try replica.stableVector()
    }

    func tombstoneCount() async throws -> Int {
        try replica.tombstoneCount()
    }

    func close() {
        try? store.close()
    }
}
