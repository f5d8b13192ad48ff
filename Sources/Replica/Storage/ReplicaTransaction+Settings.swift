extension ReplicaTransaction {
    /// Stores a setting (sync cursor, server URL…) in this transaction; nil removes it.
    public func setSetting(_ key: String, _ value: String?) throws {
        try ReplicaMeta.set(key, value, db)
    }

    public func setting(_ key: String) throws -> String? {
        try ReplicaMeta.get(key, db)
    }
}

extension ReplicaTransaction {
    /// Reads inside this transaction, seeing its own uncommitted writes.
    public var reader: ReplicaReader { ReplicaReader(replica: replica, db: db) }
}
