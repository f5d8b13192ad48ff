import Foundation
import Replica
import SyncCore
import SyncServer
import Synchronization

/// Fresh replica files made by copying a closed template instead of creating and migrating
/// each one: the convergence run opens thousands of replicas, and opening a copy costs a
/// fraction of `Replica.create` in a debug build.
///
/// A template is made once per identity (node id, name, role) and release (catalog version)
/// with the real `Replica.create`, closed, and its files (the database and its write-ahead log)
/// copied for every use; the copy is opened with the real `Replica.open`. One instance serves a
/// whole test run; call `close()` at the end to delete the templates. The cache sits behind a
/// `Mutex` because schedules running in parallel share it.
final class ReplicaTemplates: Sendable {
    let directory: URL
    private let made = Mutex<[String: String]>([:])

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "hearth-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// A new node replica at `path` with this identity and these declarations, as
    /// `Replica.create` would make it.
    func replica(
        at path: String, name: String, nodeID: NodeID, catalog: RecordCatalog = .hearth,
        wallClock: @escaping @Sendable () -> Int64
    ) throws -> Replica {
        let template = try self.template(key: "node \(nodeID) \(name) catalog \(catalog.version)") { templatePath in
            try Replica.create(
                at: templatePath, name: name, nodeID: nodeID, catalog: catalog, wallClock: { SimulatedClock.start }
            ).close()
        }
        try copy(template, to: path)
        return try Replica.open(at: path, catalog: catalog, wallClock: wallClock)
    }

    /// A new, empty server store at `path`.
    func serverStore(at path: String, wallClock: @escaping @Sendable () -> Int64) throws -> SQLiteServerStore {
        let template = try self.template(key: "server") { templatePath in
            try SQLiteServerStore(path: templatePath, wallClock: { SimulatedClock.start }).close()
        }
        try copy(template, to: path)
        return try SQLiteServerStore(path: path, wallClock: wallClock)
    }

    func close() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The path of the template for `key`, made by `make` the first time.
    private func template(key: String, make: (String) throws -> Void) throws -> String {
        try made.withLock { made in
            if let path = made[key] { return path }
            let path = directory.appendingPathComponent("template-\(made.count + 1).hearth").path
            try make(path)
            made[key] = path
            return path
        }
    }

    /// Copies a closed database: the main file and, if present, its write-ahead log (SQLite
    /// rebuilds the shared-memory index when the copy is opened).
    private func copy(_ template: String, to path: String) throws {
        let files = FileManager.default
        try files.copyItem(atPath: template, toPath: path)
        if files.fileExists(atPath: template + "-wal") {
            try files.copyItem(atPath: template + "-wal", toPath: path + "-wal")
        }
    }
}
