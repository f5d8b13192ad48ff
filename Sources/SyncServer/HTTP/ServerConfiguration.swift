/// How the HTTP server listens and how much it accepts.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The largest request body accepted as sent (compressed or not); larger gets 413.
    public var maxBodyBytes: Int
    /// The largest a gzip body may inflate to; larger gets 413.
    public var maxInflatedBytes: Int
    /// Pull page size when the node does not ask for one.
    public var defaultPullLimit: Int

    public init(
        host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 16 << 20, maxInflatedBytes: Int = 128 << 20,
        defaultPullLimit: Int = 1_000
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxInflatedBytes = maxInflatedBytes
        self.defaultPullLimit = defaultPullLimit
    }
}
