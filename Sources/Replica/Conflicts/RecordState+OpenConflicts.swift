public import SyncCore

extension RecordState {
    /// The conflicted fields that are open work for staff, as kept in the `open_conflict` index.
    ///
    /// A deleted record's field conflicts are nobody's work: the record is gone, and resolving
    /// one would write the field and bring the record back. So a tombstone contributes none.
    /// (The lifecycle conflict, an edit concurrent with a delete, leaves the record alive and
    /// stays open.) Derived from replicated state alone, so every replica holding the same
    /// records indexes the same conflicts and `status` counts agree everywhere.
    public var openConflictFields: [String] {
        isDeleted ? [] : conflictedFields
    }
}
