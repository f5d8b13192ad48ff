import GRDB
import SyncCore

extension Replica {
    /// The settings key of the declarations the file was last opened with (`RecordCatalog.fingerprint`).
    static let catalogFingerprintKey = "catalog_fingerprint"

    /// After an upgrade that declares what an older build kept opaquely, moves it into place:
    /// records of a newly declared type from their `x_TYPE` table into the type's own, and
    /// values of newly declared fields from `_extra` into their columns. The states do not
    /// change (nor their hashes or the digest); only where they are stored. Runs in one
    /// transaction when the declarations differ from the last open, and costs nothing otherwise.
    func promoteKeptRecords() throws(ReplicaError) {
        let fingerprint = catalog.fingerprint
        let known = try read { reader in try reader.setting(Self.catalogFingerprintKey) }
        guard known != fingerprint else { return }
        try write { transaction in
            let db = transaction.db
            for type in catalog.types {
                let declared = try store(for: type.name)
                let keptTable = OpaqueTypes.tablePrefix + type.name
                if try db.tableExists(keptTable) {
                    let kept = RecordStore(
                        sql: RecordTableSQL(OpaqueTypes.declaration(type.name), opaque: true), peers: peers)
                    let rows = try Row.fetchAll(db, sql: "SELECT id, _pending FROM \(kept.sql.table)")
                    for row in rows {
                        guard let stored = try kept.load(id: row[0], db) else { continue }
                        try declared.save(stored.state, pending: row[1], db)
                    }
                    try db.execute(sql: "DROP TABLE \(kept.sql.table)")
                }
                let withExtra = try Row.fetchAll(
                    db, sql: "SELECT id, _pending FROM \(declared.sql.table) WHERE _extra IS NOT NULL")
                for row in withExtra {
                    guard let stored = try declared.load(id: row[0], db) else { continue }
                    try declared.save(stored.state, pending: row[1], db)
                }
            }
            try transaction.setSetting(Self.catalogFingerprintKey, fingerprint)
        }
    }
}

extension ReplicaReader {
    /// How many records hold something this build does not declare (a record type, or fields),
    /// kept for newer nodes. Reads every table: for `hearth status`, not for sync.
    public func keptForNewerReleaseCount() throws -> Int {
        try recordCount(where: "_extra IS NOT NULL")
    }
}
