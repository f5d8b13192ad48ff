/// One written value of a field, with the dot of the write that produced it.
///
/// `wallTime` (milliseconds since 1970 on the writer's clock) is for display only: it says
/// "when" in conflict explanations and never takes part in deciding a winner.
public struct FieldVersion: Hashable, Sendable {
    public var value: FieldValue
    public var dot: Dot
    public var wallTime: Int64

    public init(value: FieldValue, dot: Dot, wallTime: Int64) {
        self.value = value
        self.dot = dot
        self.wallTime = wallTime
    }
}
