import CSQLiteSession
import Foundation

/// How much disk an SQLite database takes, and how much of it is free pages.
///
/// Taken after a `TRUNCATE` checkpoint by whoever owns the file, so the `.db` file holds every
/// page and the `-wal` is empty; `bytes` still counts the `-wal`, so a checkpoint that could not
/// empty it shows in the figure instead of hiding.
struct FileFootprint {
    /// The `.db` file plus its `-wal`, in bytes.
    var bytes: Int
    var pageSize: Int
    /// Pages on SQLite's freelist: space inside the file that later writes reuse, but that the
    /// file system gets back only from `VACUUM` (the replicas do not use `auto_vacuum`).
    var freePages: Int

    var megabytes: Double { ProcessMemory.megabytes(bytes) }

    /// Measures the database at `path`; another connection (a replica's pool) may hold it open.
    static func of(_ path: String) throws -> FileFootprint {
        let connection = try RawConnection(path: path, readOnly: true)
        let pageSize = Int(try connection.text("PRAGMA page_size") ?? "") ?? 0
        let freePages = Int(try connection.text("PRAGMA freelist_count") ?? "") ?? 0
        return FileFootprint(bytes: fileSize(path) + fileSize(path + "-wal"), pageSize: pageSize, freePages: freePages)
    }

    /// Rebuilds the database at `path` with `VACUUM` on a connection of its own, as
    /// `sqlite3 FILE VACUUM` would, then checkpoints so the rebuilt file is the `.db` alone.
    ///
    /// Safe while a replica's pool has the file open, as long as nothing reads or writes it
    /// meanwhile: in WAL mode `VACUUM` is an ordinary write transaction to other connections.
    static func vacuum(_ path: String) throws {
        let connection = try RawConnection(path: path)
        try connection.execute("VACUUM")
        try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    private static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
