import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The replica's file on disk: created private to its owner, and checked before it is opened.
enum ReplicaFile {
    /// Creates an empty file readable and writable by its owner only (mode 0600).
    ///
    /// `O_EXCL` makes creation atomic: if anything is already at `path`, nothing is touched.
    /// SQLite gives the `-wal` and `-shm` files it creates later the same mode as this file.
    static func createPrivate(at path: String) throws(ReplicaError) {
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if fd < 0 {
            let code = errno
            if code == EEXIST {
                throw ReplicaError(
                    .alreadyExists, "a replica already exists at \(path); use it, or choose another --db path")
            }
            throw ReplicaError(.storage, "cannot create \(path): \(String(cString: strerror(code)))")
        }
        fchmod(fd, 0o600)
        close(fd)
    }

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Reads the schema version with a read-only connection, so a file from a newer Hearth is
    /// refused before anything (not even the journal mode) is written to it.
    static func checkSchemaVersion(at path: String) throws(ReplicaError) {
        // Without a WAL file the header is authoritative: read `user_version` (bytes 60–63,
        // big-endian) straight from it, so even a refusal leaves no -wal/-shm files behind.
        if !FileManager.default.fileExists(atPath: path + "-wal"), let version = headerUserVersion(at: path) {
            try refuseIfNewer(version, path: path)
            return
        }
        var configuration = Configuration()
        configuration.readonly = true
        let version: Int
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            version = try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
            try queue.close()
        } catch {
            throw ReplicaError(
                .storage, "cannot read the replica at \(path): it is not a Hearth database or is damaged", cause: error)
        }
        try refuseIfNewer(version, path: path)
    }

    /// The `user_version` in the database header, or nil if the file is not a SQLite database.
    static func headerUserVersion(at path: String) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 100), header.count == 100,
            header.prefix(16) == Data("SQLite format 3\u{0}".utf8)
        else { return nil }
        return header[60..<64].reduce(0) { $0 << 8 | Int($1) }
    }

    static func refuseIfNewer(_ version: Int, path: String) throws(ReplicaError) {
        if version > ReplicaMigrations.schemaVersion {
            throw ReplicaError(
                .schemaTooNew,
                "the replica at \(path) was written by a newer Hearth (schema \(version), this build reads up to "
                    + "\(ReplicaMigrations.schemaVersion)); upgrade hearth. The file was not changed.")
        }
    }
}
