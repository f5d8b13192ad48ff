import GRDB
import SyncCore
import Synchronization

/// The record types this build does not declare, kept for newer nodes in tables named `x_TYPE`.
///
/// A newer Hearth may add record types (PROTOCOL.md, compatibility rules). An older replica that
/// receives one keeps it whole: stored, merged, forwarded, and counted in the digest like any
/// other record, only not shown. The tables are created when the first such record arrives and
/// found again when the replica is opened by any process; an upgrade that declares the type
/// moves the records into its own table (`ReplicaMigrations.promoteKeptRecords`).
///
/// Thread safety: the registry is a `Mutex`-guarded dictionary; the stores are immutable values.
final class OpaqueTypes: Sendable {
    static let tablePrefix = "x_"
    private let stores = Mutex<[String: RecordStore]>([:])
    private let peers: PeerDirectory

    init(peers: PeerDirectory) {
        self.peers = peers
    }

    /// Whether a type name a peer sent may name a kept table: a short lowercase identifier, as
    /// every declared type's is (PROTOCOL.md §13). Anything else is refused as invalid.
    static func isAcceptableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 40, (0x61...0x7A).contains(first) else { return false }
        return name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    /// Whether a field name a peer sent may be kept: an identifier of at most 40 characters
    /// (declared names are camelCase), so it never clashes with the stored formats' separators.
    static func isAcceptableFieldName(_ name: String) -> Bool {
        // A letter or `_` first (`first | 0x20` folds ASCII capitals onto lowercase letters).
        guard let first = name.utf8.first, name.utf8.count <= 40,
            first == 0x5F || (0x61...0x7A).contains(first | 0x20)
        else { return false }
        return name.utf8.allSatisfy { (0x61...0x7A).contains($0 | 0x20) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    /// The largest text value kept in a field this build does not declare (the largest limit a
    /// declared field has, `FieldSpec.longTextBytes`).
    static let maxKeptValueBytes = FieldSpec.longTextBytes

    /// The store of a kept type this registry knows, if any.
    func store(for name: String) -> RecordStore? {
        stores.withLock { $0[name] }
    }

    /// The names of every kept type, sorted.
    var names: [String] {
        stores.withLock { $0.keys.sorted() }
    }

    /// Registers the kept tables the file holds (another process may have created some).
    func refresh(_ db: Database, declared: RecordCatalog) throws {
        let tables = try String.fetchAll(
            db.cachedStatement(sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'x_*'"))
        for table in tables {
            let name = String(table.dropFirst(Self.tablePrefix.count))
            guard Self.isAcceptableName(name), declared.type(named: name) == nil, store(for: name) == nil else {
                continue
            }
            register(name)
        }
    }

    /// The store for a kept type, creating its table inside the caller's transaction if needed.
    func store(for name: String, creatingIn db: Database) throws -> RecordStore {
        if let known = store(for: name) { return known }
        let store = RecordStore(sql: RecordTableSQL(Self.declaration(name), opaque: true), peers: peers)
        for statement in store.sql.createStatements { try db.execute(sql: statement) }
        return register(name)
    }

    @discardableResult
    private func register(_ name: String) -> RecordStore {
        let store = RecordStore(sql: RecordTableSQL(Self.declaration(name), opaque: true), peers: peers)
        stores.withLock { $0[name] = store }
        return store
    }

    /// A declaration with no fields: every field of a kept record lives in `_extra`.
    static func declaration(_ name: String) -> RecordType {
        RecordType(name: name, fields: [])
    }
}
