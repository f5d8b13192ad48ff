import Foundation
import HearthProtocol
import Replica
import SyncClient
import SyncCore
import SyncServer

/// B12: field work. A laptop's new members reach the central office through its center
/// (`hearth serve`) over HTTP, or on a change file the center imports, against raw SQLite
/// inserting the same rows twice (once at the center, once at the central office), and against
/// the same laptop pushing straight to the central office.
enum FieldWorkScenario {
    static func run(_ context: BenchContext) async throws -> [Figure] {
        let count = context.sizes.members
        let rows = MemberRow.generate(count: count, seed: InsertScenario.seed)
        let rawTwice = try InitialSyncScenario.rawInsertTwice(
            RowArena(rows), workspace: context.workspace, prefix: "b12")
        let world = try await SyncWorld.start(context.workspace, name: "b12")
        let laptops = BenchNodeFiles(context.workspace)
        var hubServer: EmbeddedServer?
        do {
            let center = try world.addNode("b12-center", forward: true)
            let hub = try SQLiteServerStore.hub(center.replica)
            hubServer = try await EmbeddedServer.start(store: QueuedSQLiteStore(hub))
            func laptop(_ name: String) throws -> BenchNode {
                let (registered, token) = try hub.addNode(name: name, canForward: false)
                return try laptops.create(name, id: registered.id, token: token)
            }
            let forward: @Sendable () throws -> [HubLaptopsRequest.Laptop] = {
                try hub.laptopsForUpstream().map(\.wire)
            }
            func syncCenter() async throws -> SyncReport {
                let transport = HTTPSyncTransport(baseURL: world.server.baseURL, token: center.token)
                return try await SyncEngine(replica: center.replica, transport: transport, hubLaptops: forward).sync()
            }

            // Over the center's network: laptop → center, then center → central office.
            let desk = try laptop("b12-desk")
            try desk.replica.insertMembers(rows)
            let hubURL = hubServer!.baseURL
            let (atHub, toHubSeconds) = try await Stopwatch.time {
                try await SyncEngine(
                    replica: desk.replica, transport: HTTPSyncTransport(baseURL: hubURL, token: desk.token)
                )
                .sync()
            }
            let (forwarded, forwardSeconds) = try await Stopwatch.time { try await syncCenter() }
            guard atHub.pushed == count, forwarded.pushed == count, forwarded.refused == 0 else {
                throw BenchFailure(
                    "B12: the laptop pushed \(atHub.pushed) and the center forwarded \(forwarded.pushed) of \(count)")
            }

            // On a USB stick: a second laptop's members, exported, imported at the center, forwarded.
            let stick = try laptop("b12-stick")
            try stick.replica.insertMembers(MemberRow.generate(count: count, seed: InsertScenario.seed &+ 1))
            let (bytes, exportSeconds) = try Stopwatch.time {
                try ChangeFileExport.make(replica: stick.replica, for: .anyone, at: 0).bytes(
                    signedWith: try stick.replica.signingKey())
            }
            // The laptop presents its key to its center once, as its first sync would.
            _ = try await HTTPSyncTransport(baseURL: hubURL, token: stick.token).session(
                writer: nil, signingKey: try stick.replica.signingKey().publicKey.hex)
            let (imported, importSeconds) = try await Stopwatch.time {
                try await ChangeFileImport.apply(try ChangeFile.read(bytes), to: center.replica)
            }
            let (carried, carriedForwardSeconds) = try await Stopwatch.time { try await syncCenter() }
            guard imported.accepted == count, carried.pushed == count else {
                throw BenchFailure("B12: the center imported \(imported.accepted) and forwarded \(carried.pushed)")
            }

            try await hubServer?.stop()
            hubServer = nil

            let directSeconds = try await straightToTheOffice(rows, context)
            let n = Double(count)
            let throughHub = toHubSeconds + forwardSeconds
            let byFile = exportSeconds + importSeconds + carriedForwardSeconds
            let figures = [
                Figure(
                    .b12, "time ratio laptop → center → office / raw SQLite inserting twice", throughHub / rawTwice,
                    .ratio),
                Figure(
                    .b12, "time ratio change file + forward / raw SQLite inserting twice", byFile / rawTwice, .ratio),
                Figure(
                    .b12, "time ratio laptop → center → office / laptop → office", throughHub / directSeconds, .ratio),
                Figure(.b12, "laptop → center (HTTP), changes/s", n / toHubSeconds, .perSecond),
                Figure(.b12, "center forwards to office, changes/s", n / forwardSeconds, .perSecond),
                Figure(.b12, "change file: export + sign, changes/s", n / exportSeconds, .perSecond),
                Figure(.b12, "change file: verify + import at center, changes/s", n / importSeconds, .perSecond),
                Figure(.b12, "change file size, bytes per change", Double(bytes.count) / n, .bytes),
                Figure(.b12, "raw SQLite inserts/s (baseline)", 2 * n / rawTwice, .perSecond),
            ]
            try laptops.closeAll()
            try await world.stop()
            return figures
        } catch {
            try? await hubServer?.stop()
            try? laptops.closeAll()
            try? await world.stop()
            throw error
        }
    }

    /// The same rows pushed by a node straight to a central office of its own, nothing else on
    /// either side (what the laptop's push through its center is compared with), in seconds.
    static func straightToTheOffice(_ rows: [MemberRow], _ context: BenchContext) async throws -> Double {
        let world = try await SyncWorld.start(context.workspace, name: "b12-direct")
        do {
            let node = try world.addNode("b12-direct-node")
            try node.replica.insertMembers(rows)
            let (report, seconds) = try await Stopwatch.time { try await world.sync(node) }
            guard report.pushed == rows.count else {
                throw BenchFailure("B12: the direct node pushed \(report.pushed) of \(rows.count)")
            }
            try await world.stop()
            return seconds
        } catch {
            try? await world.stop()
            throw error
        }
    }
}
