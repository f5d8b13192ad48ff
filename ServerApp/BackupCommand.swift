import ArgumentParser
import Foundation
import Replica
import SyncServer

/// `hearth-server backup --out FILE`: a consistent copy of the server database, taken while it serves.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the server database (safe while the server runs).",
        discussion: """
            The copy gets a new server epoch. To restore, stop the server, put the copy in place of
            the database (remove the old -wal and -shm files) and start it again: every node then
            sees a different epoch, pulls everything again and sends back its writes the copy lacks.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The file to write; it must not exist yet.") var out: String

    func run() throws {
        guard !FileManager.default.fileExists(atPath: out) else {
            throw CleanExit.message(
                "\(out) already exists; choose a new --out file (a backup never overwrites)", code: 1)
        }
        if store.postgresURL != nil {
            throw CleanExit.message(
                "a PostgreSQL central office is backed up with "
                    + "PostgreSQL's own tools (pg_dump, or a base backup with WAL archiving); a database restored "
                    + "from either gets a new epoch when hearth-server next starts on it (see README)", code: 1)
        }
        let store = try store.openSQLite()
        defer { try? store.close() }
        do {
            try store.backup(to: out)
        } catch let error as ReplicaError {
            throw CleanExit.message(error.message, code: 1)
        }
        print("backup written to \(out)")
    }
}
