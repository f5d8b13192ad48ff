import Foundation
import PostgresTestSupport
import Replica
import ServerPostgres
import SyncCore
import SyncServer
import Testing

/// The server stores the shared suite runs against: SQLite always, PostgreSQL when a test
/// cluster is there (`PostgresTestDatabase`).
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static var tested: [StoreKind] { PostgresTestDatabase.isAvailable ? [.sqlite, .postgres] : [.sqlite] }

    /// Runs `body` with a new, empty store of this kind, and a folder for node replicas.
    func withStore(
        wallClock: @escaping @Sendable () -> Int64 = Replica.systemWallClock,
        _ body: (_ store: any ServerStore, _ folder: URL) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        switch self {
        case .sqlite:
            let path = folder.appendingPathComponent("server.db").path
            try await Self.closing(QueuedSQLiteStore(try SQLiteServerStore(path: path, wallClock: wallClock))) {
                try await body($0, folder)
            }
        case .postgres:
            try await PostgresTestDatabase.with { database in
                try await Self.closing(try await database.open(wallClock: wallClock)) { try await body($0, folder) }
            }
        }
    }

    /// Runs `body` with `store` and closes it, whether or not `body` throws.
    private static func closing(_ store: any ServerStore, _ body: (any ServerStore) async throws -> Void)
        async throws
    {
        do {
            try await body(store)
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }
}

/// A node replica in a test folder, registered on a store, with helpers to make and hand over writes.
struct NodeUnderTest {
    let node: RegisteredNode
    let token: String
    let replica: Replica

    static func register(_ name: String, on store: any ServerStore, in folder: URL) async throws -> NodeUnderTest {
        let (node, token) = try await store.addNode(name: name, canForward: false, id: nil, hub: nil)
        let replica = try Replica.create(
            at: folder.appendingPathComponent("\(node.id).db").path, name: name, nodeID: node.id)
        return NodeUnderTest(node: node, token: token, replica: replica)
    }

    /// Adds members with these names and returns their states, as a push would carry them.
    func addMembers(_ names: [String]) throws -> [RecordState] {
        try replica.write { transaction in
            try names.map { try transaction.insert(HearthSchema.member, ["name": .text($0)]) }
        }
    }

    /// What this replica has not pushed yet.
    func pending() throws -> [RecordState] {
        try replica.pendingRecords(limit: 100_000).map(\.state)
    }
}

extension ServerStore {
    /// The whole feed for `node` (nil: everything), in pages of `limit`.
    func wholeFeed(for node: RegisteredNode?, after cursor: Int64 = 0, limit: Int = 1_000) async throws
        -> (states: [RecordState], last: FeedPage)
    {
        var cursor = cursor
        var states: [RecordState] = []
        while true {
            let page = try await feedPage(after: cursor, for: node, limit: limit)
            states += page.states
            cursor = page.nextCursor
            if !page.hasMore { return (states, page) }
        }
    }

    /// Merges a page with nothing refused for authorship.
    func pushTrusted(_ states: [RecordState], from node: RegisteredNode) async throws -> PushApplyReport {
        try await applyPush(states, from: node) { _ in nil }
    }
}
