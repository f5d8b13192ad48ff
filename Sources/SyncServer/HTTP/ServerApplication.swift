public import Hummingbird
public import Logging
public import NIOCore

/// Builds the Hummingbird application that serves the sync protocol.
public enum ServerApplication {
    public static func make(
        service: SyncService, configuration: ServerConfiguration, logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> Application<RouterResponder<HearthRequestContext>> {
        let router = Router(context: HearthRequestContext.self)
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: ErrorBodyMiddleware())
        SyncRoutes(service: service, configuration: configuration).register(on: router)
        let idleTimeout = configuration.idleTimeout.map { duration in
            let (seconds, attoseconds) = duration.components
            return TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        }
        return Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: idleTimeout)),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "hearth-server"),
            onServerRunning: onServerRunning,
            logger: logger)
    }
}
