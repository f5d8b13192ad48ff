extension RecordState {
    /// The state after this replica writes `values` with the new `dot`.
    ///
    /// The written fields get a single version each: this replica has seen every version it
    /// holds, so its write supersedes them all, which is also how a conflict is resolved.
    /// Every write also asserts the lifecycle field (alive, unless `values` sets it), so an edit
    /// made concurrently with a delete is seen as concurrent and keeps the record alive.
    ///
    /// A delete (`values` sets the lifecycle field to deleted) erases the record, except the
    /// fields in `keeping`: see `erasingValues(keeping:)`.
    public func applyingLocalWrite(
        _ values: [String: FieldValue], dot: Dot, wallTime: Int64, keeping: Set<String> = []
    ) -> RecordState {
        precondition(dot.counter > vector[dot.node], "a new write must carry a new dot")
        var next = self
        next.vector.add(dot)
        // Room for every written field and the lifecycle field at once: growing step by step
        // would rehash the names at each step.
        if fields.isEmpty {
            next.fields = Dictionary(minimumCapacity: values.count + 1)
        } else {
            next.fields.reserveCapacity(fields.count + values.count + 1)
        }
        for (field, value) in values {
            next.fields[field] = FieldState(single: FieldVersion(value: value, dot: dot, wallTime: wallTime))
        }
        if values[Self.lifecycleField] == nil {
            next.fields[Self.lifecycleField] = FieldState(
                single: FieldVersion(value: Self.alive, dot: dot, wallTime: wallTime))
        }
        return next.isDeleted ? next.erasingValues(keeping: keeping) : next
    }

    /// This state with the value of every field version set to null, dots and times kept, except
    /// the fields in `keeping`: the key fields of a record whose id is derived from them (a
    /// participation's member and activity ids, `RecordType.erasureKeeps`). The id is made from
    /// them, so they tell nothing it does not; a registration revived by a concurrent check-in
    /// still names its member and activity.
    ///
    /// Deleting erases: a tombstone keeps only what the merge needs (the vector and each
    /// version's dot), never a name or a phone. The dots stay so that the merge still knows what
    /// the delete saw: an edit made concurrently keeps the record alive, with the fields that edit
    /// wrote and nothing else (PROTOCOL.md §11). Replicas that meet the same dot with a value on
    /// one side and null on the other keep null (`RecordMerge.join`), so erasure spreads like
    /// any other write.
    public func erasingValues(keeping: Set<String> = []) -> RecordState {
        var erased = self
        for (name, state) in fields where name != Self.lifecycleField && !keeping.contains(name) {
            guard state.versions.contains(where: { !$0.value.isNull }) else { continue }
            erased.fields[name] = FieldState(
                field: name,
                versions: state.versions.map { FieldVersion(value: .null, dot: $0.dot, wallTime: $0.wallTime) })
        }
        return erased
    }

    /// True when every version of the lifecycle field says deleted and no field outside
    /// `keeping` keeps a value: a tombstone as this release writes them.
    public func isErasedTombstone(keeping: Set<String> = []) -> Bool {
        guard let lifecycle = fields[Self.lifecycleField],
            lifecycle.versions.allSatisfy({ $0.value == Self.deleted })
        else { return false }
        return fields.allSatisfy {
            $0.key == Self.lifecycleField || keeping.contains($0.key) || $0.value.versions.allSatisfy(\.value.isNull)
        }
    }
}
