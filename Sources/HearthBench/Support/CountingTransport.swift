import HearthProtocol
import NIOCore
import SyncClient
import SyncCore
import Synchronization

/// Wraps `HTTPSyncTransport`, passing every call through, and tallies the pushes: their exact
/// bytes on the wire (from a `ByteCountingProxy` in front of the server) and, if asked, their
/// bodies re-encoded the way the transport encodes them (`WireCodec` JSON, then gzip from 1 KiB).
struct CountingTransport: SyncTransport {
    /// What the pushes of one or more syncs cost.
    final class Tally: Sendable {
        struct Counts: Sendable {
            var pushes = 0
            var changes = 0
            /// Request bytes of the pushes as relayed by the proxy: request line, headers, gzip body.
            var wireBytes = 0
            /// Push bodies re-encoded: JSON, and as sent (gzip when at least `BodyCompression.threshold`).
            var jsonBytes = 0
            var sentBodyBytes = 0
            /// When the latest push was answered.
            var lastPushAnswered: ContinuousClock.Instant?
        }

        let counts = Mutex(Counts())
        var snapshot: Counts { counts.withLock { $0 } }
    }

    let inner: HTTPSyncTransport
    let tally: Tally
    var proxy: ByteCountingProxy?
    var encodeBodies = false

    func session(writer: String?) async throws -> SessionResponse { try await inner.session(writer: writer) }

    func pull(since cursor: Int64, limit: Int, includeOwn: Bool, settled: SettledWrites?) async throws
        -> PullResponse
    {
        try await inner.pull(since: cursor, limit: limit, includeOwn: includeOwn, settled: settled)
    }

    func push(_ request: PushRequest, lineage: PushLineage?) async throws -> PushResponse {
        var json = 0
        var sent = 0
        if encodeBodies {
            // The encoder `HTTPSyncTransport.push` uses, and its gzip rule.
            let body = WireCodec.encode(request)
            json = body.readableBytes
            sent = json >= BodyCompression.threshold ? try BodyCompression.gzip(body).readableBytes : json
        }
        let before = proxy?.total.up ?? 0
        let response = try await inner.push(request, lineage: lineage)
        // The server answers only after reading the whole body, so the request has been relayed in full.
        let wire = (proxy?.total.up ?? 0) - before
        let answered = ContinuousClock.now
        tally.counts.withLock {
            $0.pushes += 1
            $0.changes += request.changes.count
            $0.wireBytes += wire
            $0.jsonBytes += json
            $0.sentBodyBytes += sent
            $0.lastPushAnswered = answered
        }
        return response
    }
}
