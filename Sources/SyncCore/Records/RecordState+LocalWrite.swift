extension RecordState {
    /// The state after this replica writes `values` with the new `dot`.
    ///
    /// The written fields get a single version each: this replica has seen every version it
    /// holds, so its write supersedes them all, which is also how a conflict is resolved.
    /// Every write also asserts the lifecycle field (alive, unless `values` sets it), so an edit
    /// made concurrently with a delete is seen as concurrent and keeps the record alive.
    public func applyingLocalWrite(_ values: [String: FieldValue], dot: Dot, wallTime: Int64) -> RecordState {
        precondition(dot.counter > vector[dot.node], "a new write must carry a new dot")
        var next = self
        next.vector.add(dot)
        for (field, value) in values {
            next.fields[field] = FieldState(single: FieldVersion(value: value, dot: dot, wallTime: wallTime))
        }
        if values[Self.lifecycleField] == nil {
            next.fields[Self.lifecycleField] = FieldState(
                single: FieldVersion(value: Self.alive, dot: dot, wallTime: wallTime))
        }
        return next
    }
}
