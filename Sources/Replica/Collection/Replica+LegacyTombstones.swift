import GRDB
import SyncCore

extension Replica {
    /// Set once the tombstones written before deleting erased have been erased.
    static let tombstonesErasedKey = "tombstones_erased"

    /// Erases the values that tombstones written by earlier releases still hold, once per file,
    /// in one transaction (`RecordState.erasingValues`). Every replica does the same when it is
    /// upgraded, and the merge keeps null wherever one copy erased a dot, so copies upgraded at
    /// different times agree.
    func eraseLegacyTombstones() throws(ReplicaError) {
        let done = try read { reader in try reader.setting(Self.tombstonesErasedKey) }
        guard done == nil else { return }
        try write { transaction in
            let db = transaction.db
            for store in try allStores(db) {
                let rows = try Row.fetchAll(db, sql: "SELECT id, _pending FROM \(store.sql.table) WHERE _deleted = 1")
                for row in rows {
                    guard let stored = try store.load(id: row[0], db), stored.state.isDeleted else { continue }
                    let erased = stored.state.erasingValues(keeping: store.type.erasureKeeps)
                    if erased != stored.state { try transaction.replaceState(erased, pending: row[1]) }
                }
            }
            try transaction.setSetting(Self.tombstonesErasedKey, "1")
        }
    }
}
