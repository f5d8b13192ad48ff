/// A node's report, with a pull, that every write of its writer identity up to `counter` has
/// reached the server (its last push left nothing pending).
public struct SettledWrites: Sendable, Hashable {
    public var writer: NodeID
    public var counter: UInt64

    public init(writer: NodeID, counter: UInt64) {
        self.writer = writer
        self.counter = counter
    }
}
