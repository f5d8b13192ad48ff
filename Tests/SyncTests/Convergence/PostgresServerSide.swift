import Replica
import ServerPostgres
import SyncCore
import SyncServer

/// The central office on PostgreSQL: several `hearth-server` processes, each a `SyncService`
/// over its own `PostgresServerStore` (its own connections) on one database.
///
/// Everything goes through the `ServerStore` interface, as another process would see it: the
/// registry through the first store, and what the server holds through its feed, read whole
/// from the start for no node (every record once, tombstones included) with the digest and
/// stable vector of its last page.
struct PostgresServerSide: ServerSide {
    let stores: [PostgresServerStore]
    let services: [SyncService]

    init(stores: [PostgresServerStore], wallClock: @escaping @Sendable () -> Int64) {
        precondition(!stores.isEmpty, "a server side needs at least one store")
        self.stores = stores
        services = stores.map { SyncService(store: $0, wallClock: wallClock) }
    }

    var registry: any ServerStore { stores[0] }

    func states() async throws -> [RecordState] {
        try await registry.wholeFeed(for: nil).states
    }

    /// The records as the feed gives them. The store keeps no conflict index the interface
    /// shows, so the open conflicts are those of the records' conflicted fields; the digest is
    /// recomputed from the records' hashes.
    func contents() async throws -> ReplicaContents {
        let (fed, last) = try await registry.wholeFeed(for: nil)
        var states: [String: RecordState] = [:]
        var recomputed = ReplicaDigest()
        for state in fed {
            let key = ReplicaContents.key(state)
            guard states.updateValue(state, forKey: key) == nil else {
                throw PostgresStoreError("the feed gave record \(key) twice")
            }
            recomputed.toggle(RecordDigest.hash(state))
        }
        let conflicts = ReplicaContents.conflicts(in: fed)
        return ReplicaContents(
            name: "server", digest: last.digest, recomputedDigest: recomputed, states: states, conflicts: conflicts,
            conflictRows: conflicts.count, pending: 0)
    }

    func digest() async throws -> ReplicaDigest {
        try await pastTheEnd().digest
    }

    func stableVector() async throws -> VersionVector {
        try await pastTheEnd().stable
    }

    func tombstoneCount() async throws -> Int {
        try await states().count(where: \.isDeleted)
    }

    /// A page asked for past the feed's end: no records, only the digest and stable vector.
    private func pastTheEnd() async throws -> FeedPage {
        try await registry.feedPage(after: .max, for: nil, limit: 1)
    }

    func close() async {
        for store in stores { try? await store.close() }
    }
}
