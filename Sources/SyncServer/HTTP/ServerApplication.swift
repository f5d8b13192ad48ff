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
        return Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "hearth-server"),
            onServerRunning: onServerRunning,
            logger: logger)
    }
}
