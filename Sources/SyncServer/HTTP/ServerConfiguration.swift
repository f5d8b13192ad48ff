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
    /// How long a connection may go without the server reading anything from it before the
    /// server closes it (nil: never). It is both the idle timeout of a kept-alive connection
    /// between requests and the read timeout of a request that stalls: Hummingbird's HTTP/1
    /// channel restarts the clock at each part it reads (the head, each body chunk) and does
    /// not run it while a handler works or a response is written. A slow but moving upload
    /// keeps its connection; a silent one, or one that never finishes its head, loses it.
    public var idleTimeout: Duration?
    /// How long one request body may take to arrive in full; longer gets 408. It bounds an
    /// upload that keeps sending a byte now and then, which the idle timeout alone never closes.
    public var bodyDeadline: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 16 << 20, maxInflatedBytes: Int = 128 << 20,
        defaultPullLimit: Int = 1_000, idleTimeout: Duration? = .seconds(60), bodyDeadline: Duration = .seconds(600)
    ) {
        self.bodyDeadline = bodyDeadline
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxInflatedBytes = maxInflatedBytes
        self.defaultPullLimit = defaultPullLimit
        self.idleTimeout = idleTimeout
    }
}
