import ArgumentParser
import Foundation
import HearthProtocol
import NIOCore
import NIOFoundationCompat
import SyncCore

/// `hearth-bench codec`: the JSON of change pages alone, `WireCodec` against the `Codable` path it
/// replaced (`WireChange` dictionaries with `JSONEncoder`, `JSONDecoder` then `recordState()`).
///
/// A micro-measure to explain B2's push and pull rates; it is not one of the scenarios of
/// docs/BENCHMARKS.md. Pages are B1's member rows as the replica pushes them after inserting.
struct CodecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec", abstract: "Time encoding and decoding member pages: WireCodec against Codable.")

    @Option(help: "Member states per page (the engine pushes 1000).")
    var pageSize = 1_000
    @Option(help: "Pages per measurement; each figure is the best of 5 measurements.")
    var pages = 20

    func validate() throws {
        guard pageSize >= 1, pages >= 1 else { throw ValidationError("--page-size and --pages must be at least 1") }
    }

    func run() throws {
        let node = NodeID.random()
        let states = MemberRow.generate(count: pageSize, seed: InsertScenario.seed).enumerated().map { index, row in
            RecordState(type: "member", id: row.id).applyingLocalWrite(
                row.values, dot: Dot(node: node, counter: UInt64(index + 1)), wallTime: 1_764_050_000_000)
        }
        let request = PushRequest(states: states)
        let body = WireCodec.encode(request)
        let codableBody = try JSONEncoder().encode(request)
        guard try WireCodec.decodePushRequest(body) == states,
            try JSONDecoder().decode(PushRequest.self, from: body).changes.map({ try $0.recordState() }) == states
        else {
            throw BenchFailure("codec: WireCodec and Codable disagree on the page; this is a bug")
        }

        let changes = Double(pageSize * pages)
        print(
            "page of \(pageSize) members: \(body.readableBytes / pageSize) bytes/change (WireCodec), "
                + "\(codableBody.count / pageSize) (JSONEncoder), "
                + "\(try BodyCompression.gzip(body).readableBytes / pageSize) gzip'd")
        print("changes/s".padding(toLength: 48, withPad: " ", startingAt: 0) + "WireCodec      Codable   speed-up")
        let rows: [(String, () throws -> Int, () throws -> Int)] = [
            (
                "encode a push page",
                { WireCodec.encode(PushRequest(states: states)).readableBytes },
                { try JSONEncoder().encode(PushRequest(states: states)).count }
            ),
            (
                "decode a push page to record states",
                { try WireCodec.decodePushRequest(body).count },
                { try JSONDecoder().decode(PushRequest.self, from: body).changes.map { try $0.recordState() }.count }
            ),
        ]
        for (name, fast, codable) in rows {
            let wire = changes / (try best { try fast() })
            let old = changes / (try best { try codable() })
            print(
                name.padding(toLength: 44, withPad: " ", startingAt: 0)
                    + String(format: "%13.0f %10.0f %9.1f×", wire, old, wire / old))
        }
    }

    /// The fastest of 5 timings of `pages` runs of `body`, in seconds.
    private func best(_ body: () throws -> Int) throws -> Double {
        var fastest = Double.infinity
        var sink = 0
        for _ in 0..<5 {
            let (total, seconds) = try Stopwatch.time { try (0..<pages).reduce(0) { sum, _ in sum &+ (try body()) } }
            sink &+= total
            fastest = min(fastest, seconds)
        }
        // Using the results keeps the optimiser from dropping the work.
        if sink == 42 { print("") }
        return fastest
    }
}
