import Replica
import SyncClient
import SyncCore
import SyncServer

/// B6: single-field updates pushed; the bytes they cost on the wire, counted by a relay
/// between client and server (request line, headers and gzip body: exactly what is sent).
/// The target is issue 14's: 30 bytes (issue 5 asked for 120).
enum WireBytesScenario {
    static func run(_ context: BenchContext) async throws -> [Figure] {
        let count = context.sizes.updates
        let world = try await SyncWorld.start(context.workspace, name: "b6")
        let proxy: ByteCountingProxy
        do {
            proxy = try ByteCountingProxy(upstreamPort: world.server.port)
        } catch {
            try? await world.stop()
            throw error
        }
        do {
            let rows = MemberRow.generate(count: count, seed: 0x4236_0000)
            let a = try world.addNode("b6-node")
            try a.replica.insertMembers(rows)
            try await world.sync(a)
            try a.replica.write { transaction in
                for (index, row) in rows.enumerated() {
                    try transaction.update(
                        HearthSchema.member, id: row.id, ["phone": .text("138" + String(20_000_000 + index))])
                }
            }
            let tally = CountingTransport.Tally()
            let transport = CountingTransport(
                inner: HTTPSyncTransport(baseURL: proxy.baseURL, token: a.token), tally: tally, proxy: proxy,
                encodeBodies: true)
            let report = try await world.sync(a, transport: transport)
            guard report.pushed == count, report.digestMatches == true else {
                throw BenchFailure("B6: pushed \(report.pushed) of \(count) updates")
            }
            let pushes = tally.snapshot
            let all = proxy.total
            proxy.stop()
            try await world.stop()
            let n = Double(count)
            return [
                Figure(
                    .b6, "push request bytes per change (headers + gzip body)", Double(pushes.wireBytes) / n, .bytes,
                    target: .atMost(30)),
                Figure(.b6, "push body bytes per change (gzip, as sent)", Double(pushes.sentBodyBytes) / n, .bytes),
                Figure(.b6, "push body bytes per change (JSON before gzip)", Double(pushes.jsonBytes) / n, .bytes),
                Figure(.b6, "all request bytes of the sync per change", Double(all.up) / n, .bytes),
                Figure(.b6, "all response bytes of the sync per change", Double(all.down) / n, .bytes),
            ]
        } catch {
            proxy.stop()
            try? await world.stop()
            throw error
        }
    }
}
