public import Replica
public import SyncCore

extension RecordImport {
    /// What an import does to the replica: which rows add a record, which update one, which match
    /// one without changing it.
    public struct Plan: Sendable, Hashable {
        /// A row that changes a stored record: its id and only the fields whose value differs.
        public struct Update: Sendable, Hashable {
            public var id: String
            public var changes: [String: FieldValue]
        }

        public var additions: [[String: FieldValue]] = []
        public var updates: [Update] = []
        /// Rows that matched a record holding the same values already: nothing to write.
        public var unchanged = 0

        public var rowCount: Int { additions.count + updates.count + unchanged }
    }

    /// Matches every row with the live records `reader` sees, by `kind.match`.
    ///
    /// A matched row becomes an update of only the fields whose value differs (empty cells were
    /// left out by `prepare`, so they never erase a stored value); a row with nothing to change is
    /// counted as unchanged. Refuses (`.invalidInput`, rows and record ids named, values never) a
    /// file in which two rows are one record, and a row whose key fits several stored records.
    public func plan(against reader: ReplicaReader) throws(ReplicaError) -> Plan {
        let stored: [RecordSnapshot]
        do {
            stored = try reader.list(kind.type)
        } catch {
            throw ReplicaError(.storage, "cannot read the stored \(kind.plural): \(error)", cause: error)
        }
        var storedIndex: [ImportableType.MatchKey: [Int]] = [:]
        for (position, record) in stored.enumerated() {
            for key in Set(kind.match.keys(record.values)) { storedIndex[key, default: []].append(position) }
        }
        var problems = duplicateRows()
        var plan = Plan()
        var claimedBy: [String: Row] = [:]
        for row in rows {
            let key = kind.match.lookup(row.values)
            let matches = storedIndex[key] ?? []
            guard matches.count <= 1 else {
                let ids = matches.map { stored[$0].id }
                problems.append(
                    "\(row.place): its \(key.by) fits \(ids.count) stored \(kind.plural) (\(ids.joined(separator: ", "))); "
                        + "remove the duplicates or tell them apart, then import again")
                continue
            }
            guard let position = matches.first else {
                plan.additions.append(row.values)
                continue
            }
            let record = stored[position]
            if let earlier = claimedBy[record.id] {
                problems.append(
                    "\(earlier.place) and \(row.place) both match \(kind.type.name) \(record.id); keep one of the rows")
                continue
            }
            claimedBy[record.id] = row
            let changes = row.values.filter { field, value in !kind.isSame(record[field], value, field: field) }
            if changes.isEmpty {
                plan.unchanged += 1
            } else {
                plan.updates.append(Plan.Update(id: record.id, changes: changes))
            }
        }
        guard problems.isEmpty else {
            throw Self.refusal(
                "\(source): \(problems.count) problem\(problems.count == 1 ? "" : "s") matching rows with "
                    + "\(kind.plural) (matched by \(kind.match.summary)); nothing was imported",
                problems: problems)
        }
        return plan
    }

    /// Writes a plan of this file in one replica transaction, planned again inside it so that no
    /// other write comes between matching and writing; returns what was done.
    ///
    /// Each write is validated again by the replica; any failure rolls back all of them.
    public func apply(to replica: Replica) throws(ReplicaError) -> Plan {
        try replica.write { transaction in
            let plan = try plan(against: transaction.reader)
            for values in plan.additions { try transaction.insert(kind.type, values) }
            for update in plan.updates { try transaction.update(kind.type, id: update.id, update.changes) }
            return plan
        }
    }

    /// Rows of this file that stand for one record: a row whose lookup key is a key of an earlier
    /// or later row (two rows with one phone number; a row without a phone number whose name and
    /// employer are another row's). Each pair is named once, by its rows.
    func duplicateRows() -> [String] {
        var index: [ImportableType.MatchKey: [Int]] = [:]
        for (position, row) in rows.enumerated() {
            for key in Set(kind.match.keys(row.values)) { index[key, default: []].append(position) }
        }
        var reported: Set<[Int]> = []
        var problems: [String] = []
        for (position, row) in rows.enumerated() {
            let key = kind.match.lookup(row.values)
            for other in index[key] ?? [] where other != position {
                let pair = [min(position, other), max(position, other)]
                guard reported.insert(pair).inserted else { continue }
                problems.append(
                    "\(rows[pair[0]].place) and \(rows[pair[1]].place) are one \(kind.type.name) "
                        + "(the same \(key.by)); merge them into one row")
            }
        }
        return problems
    }
}
