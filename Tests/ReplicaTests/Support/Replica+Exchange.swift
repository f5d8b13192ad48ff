import GRDB
import Replica
import SyncCore

extension Replica {
    /// Sends this replica's pending records to `other`, which applies them as if from its
    /// upstream, then acknowledges them here. Returns how many records were sent.
    @discardableResult
    func sendPending(to other: Replica) throws -> Int {
        let pending = try pendingRecords(limit: 100_000)
        try other.write { transaction in
            for record in pending { try transaction.apply(record.state, from: .upstream) }
        }
        try acknowledge(pending)
        return pending.count
    }

    /// Exchanges pending records with `other` until neither has any left.
    func exchangeUntilSettled(with other: Replica) throws {
        for _ in 0..<10 {
            let sent = try sendPending(to: other) + other.sendPending(to: self)
            if sent == 0 { return }
        }
    }

    /// Pushes pending records to a server-role replica, as the sync client does.
    func push(to server: Replica) throws {
        let names = [nodeID: try read { try $0.nodeName() }]
        try server.rememberNodeNames(names)
        let pending = try pendingRecords(limit: 100_000)
        _ = try server.applyPushedPage(pending.map(\.state), from: nodeID) { _ in nil }
        try acknowledge(pending)
    }

    /// Pulls the server's feed in small pages, storing the cursor with each page.
    func pull(from server: Replica, pageSize: Int = 2) throws {
        let names = try server.read { try $0.nodeNames() }
        while true {
            let page = try server.feedPage(after: try pullCursor(), for: nodeID, limit: pageSize)
            _ = try applyPulledPage(page.states, cursor: page.nextCursor, nodeNames: names)
            if !page.hasMore { return }
        }
    }

    func digest() throws -> ReplicaDigest {
        try read { try $0.digest() }
    }

    func record(_ type: RecordType, _ id: String) throws -> RecordState? {
        try read { try $0.record(type, id: id) }
    }

    func conflictIDs() throws -> Set<String> {
        Set(try read { try $0.conflicts() }.map(\.id))
    }
}

extension ReplicaReader {
    /// Every stored state of every declared type, tombstones included.
    func allStates() throws -> [RecordState] {
        var states: [RecordState] = []
        for type in replica.catalog.types {
            let ids = try String.fetchAll(db, sql: "SELECT id FROM \"\(type.name)\" ORDER BY id")
            for id in ids { states.append(try record(type, id: id)!) }
        }
        return states
    }

    /// The digest computed from the states as they read back, not from stored hashes.
    func digestOfLoadedStates() throws -> ReplicaDigest {
        var digest = ReplicaDigest()
        for state in try allStates() { digest.toggle(RecordDigest.hash(state)) }
        return digest
    }

    func count(table: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(table)\"") ?? 0
    }
}
