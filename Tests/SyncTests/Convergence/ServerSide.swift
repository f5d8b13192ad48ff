import Replica
import SyncCore
import SyncServer

/// The server of a simulated world, as the schedule, the network and the checks reach it: one
/// `SyncService` per server process, the registry, and reads of what the server holds.
///
/// Two worlds implement it: `SQLiteServerSide` (the embedded default, one process) and
/// `PostgresServerSide` (several processes over one PostgreSQL database). Every call is async,
/// as the `ServerStore` interface is.
protocol ServerSide: Sendable {
    /// One service per server process; the network sends each request to one of them.
    var services: [SyncService] { get }
    /// Where nodes are added, revoked and readmitted (as `hearth-server node` would).
    var registry: any ServerStore { get }

    /// Every record the server holds, tombstones included.
    func states() async throws -> [RecordState]
    /// Everything the server holds that must converge, as the checks compare it with the nodes'.
    func contents() async throws -> ReplicaContents
    func digest() async throws -> ReplicaDigest
    func stableVector() async throws -> VersionVector
    func tombstoneCount() async throws -> Int
}

/// Which server a world runs: the kit's configurations.
enum ServerSetup: Sendable, Hashable, CustomStringConvertible {
    /// One `SQLiteServerStore` in the world's folder.
    case sqlite
    /// `servers` processes, each with its own `PostgresServerStore` on one fresh test database.
    case postgres(servers: Int)

    var description: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres(let servers): "\(servers) servers over one PostgreSQL"
        }
    }
}
