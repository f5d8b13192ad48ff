/// The one rule every replica uses to choose the shown value among concurrent versions.
///
/// 1. For the lifecycle field, "alive" beats "deleted": an edit made without seeing a delete
///    keeps the record (nothing is silently lost; the conflict is recorded for staff).
/// 2. Otherwise the version with the greater dot wins: the greater counter, then the greater
///    node id. It depends on the dots alone, so every replica agrees and wall clocks play no part.
public enum WinnerRule {
    public static func prefers(_ a: FieldVersion, over b: FieldVersion, field: String) -> Bool {
        if field == RecordState.lifecycleField, a.value != b.value {
            return a.value == RecordState.alive
        }
        return a.dot > b.dot
    }
}
