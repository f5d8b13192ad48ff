import Foundation
import PostgresTestSupport
import ServerPostgres

extension SimulatedWorld {
    /// Runs `body` with a new world over `setup`'s server, and closes the world afterwards.
    static func with<T>(
        _ setup: ServerSetup, networkSeed: UInt64, templates: ReplicaTemplates?,
        _ body: (SimulatedWorld) async throws -> T
    ) async throws -> T {
        switch setup {
        case .sqlite:
            let world = try SimulatedWorld(networkSeed: networkSeed, templates: templates)
            defer { world.close() }
            return try await body(world)
        case .postgres(let servers):
            return try await withPostgres(servers: servers, networkSeed: networkSeed, templates: templates, body)
        }
    }

    /// Runs `body` with a new world whose server is `servers` processes over one fresh
    /// PostgreSQL database (`PostgresServerSide`); closes their stores and drops the database
    /// afterwards. Needs `PostgresTestDatabase.isAvailable`.
    static func withPostgres<T>(
        servers: Int, networkSeed: UInt64, templates: ReplicaTemplates?, _ body: (SimulatedWorld) async throws -> T
    ) async throws -> T {
        try await PostgresTestDatabase.with { database in
            let clock = SimulatedClock()
            var stores: [PostgresServerStore] = []
            do {
                for _ in 0..<servers { stores.append(try await database.open(wallClock: clock.reading())) }
            } catch {
                for store in stores { try? await store.close() }
                throw error
            }
            let server = PostgresServerSide(stores: stores, wallClock: clock.reading())
            let result: Result<T, any Error>
            do {
                let world = SimulatedWorld(
                    directory: try makeDirectory(), clock: clock, server: server, networkSeed: networkSeed,
                    templates: templates)
                defer { world.close() }
                result = .success(try await body(world))
            } catch {
                result = .failure(error)
            }
            await server.close()
            return try result.get()
        }
    }
}
