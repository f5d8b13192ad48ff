import GRDB
public import SyncCore

extension Replica {
    /// Every record state this replica holds, tombstones and kept types included, in one
    /// snapshot: declared types in catalog order, then kept ones by name; by rowid within each.
    public func allStates() throws(ReplicaError) -> [RecordState] {
        try read { reader in
            var states: [RecordState] = []
            for store in try allStores(reader.db) {
                for id in try String.fetchAll(reader.db, sql: "SELECT id FROM \(store.sql.table) ORDER BY rowid") {
                    if let stored = try store.load(id: id, reader.db) { states.append(stored.state) }
                }
            }
            return states
        }
    }
}
