import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The replica's file on disk: created private to its owner, and checked before it is opened.
enum ReplicaFile {
    /// How long a `hearth` command waits for another process's lock (a sync, a checkpoint)
    /// before it says the replica is busy. Waiting for a lock is normal use, never damage.
    static let busyTimeout: TimeInterval = 10

    /// Creates an empty file readable and writable by its owner only (mode 0600).
    ///
    /// `O_EXCL` makes creation atomic: if anything is already at `path`, nothing is touched.
    /// SQLite gives the `-wal` and `-shm` files it creates later the same mode as this file.
    static func createPrivate(at path: String) throws(ReplicaError) {
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if fd < 0 { throw creationError(errno: errno, path: path) }
        fchmod(fd, 0o600)
        close(fd)
    }

    /// Puts the finished file at `temporary` in place at `path`, refusing to replace anything.
    ///
    /// `link` either makes `path` name the complete file or fails with `EEXIST`, so an
    /// interrupted `hearth init` never leaves a half-made replica at `path`, and two at once
    /// cannot overwrite each other. The temporary name is removed in every case.
    static func moveIntoPlace(_ temporary: String, at path: String) throws(ReplicaError) {
        defer { unlink(temporary) }
        if link(temporary, path) != 0 { throw creationError(errno: errno, path: path) }
    }

    /// A sibling path for building a new replica before it is moved into place: `PATH.init-XXXXXXXX`.
    static func temporarySibling(of path: String) -> String {
        let suffix = String(UInt32.random(in: .min ... .max), radix: 16)
        return "\(path).init-\(String(repeating: "0", count: 8 - suffix.count))\(suffix)"
    }

    /// The error for a failed create (or link) of `path`, by `errno`.
    static func creationError(errno code: Int32, path: String) -> ReplicaError {
        switch code {
        case EEXIST:
            ReplicaError(.alreadyExists, "a replica already exists at \(path); use it, or choose another --db path")
        case ENOSPC, EDQUOT:
            ReplicaError.diskFull("the replica at \(path)")
        default:
            ReplicaError(.storage, "cannot create \(path): \(String(cString: strerror(code)))")
        }
    }

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Reads the schema version with a read-only connection, so a file from a newer Hearth is
    /// refused before anything (not even the journal mode) is written to it.
    ///
    /// The connection waits for other processes' locks (`busyTimeout`): with a sync running in
    /// another process, a checkpoint may hold the WAL index for a moment.
    static func checkSchemaVersion(at path: String) throws(ReplicaError) {
        // Without a WAL file the header is authoritative: read `user_version` (bytes 60–63,
        // big-endian) straight from it, so even a refusal leaves no -wal/-shm files behind.
        if !FileManager.default.fileExists(atPath: path + "-wal"), let version = headerUserVersion(at: path) {
            try refuseIfNewer(version, path: path)
            return
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        let version: Int
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            version = try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
            try queue.close()
        } catch let error as DatabaseError {
            throw ReplicaError.storage(error, path: path)
        } catch {
            throw ReplicaError(.storage, "cannot read the replica at \(path)", cause: error)
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
