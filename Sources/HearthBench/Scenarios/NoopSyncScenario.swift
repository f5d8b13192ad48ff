import Replica
import SyncClient

/// B3: a sync with nothing to do, with few and with many records on both sides: its latency
/// must stay small and must not grow with the data.
enum NoopSyncScenario {
    static func run(_ context: BenchContext, large handoff: SyncedPair?) async throws -> [Figure] {
        let sizes = context.sizes
        let small = try await makePair(context, records: sizes.noopSmall, name: "b3-small")
        let smallLatency: Double
        do {
            smallLatency = try await medianNoopSync(small, samples: sizes.noopSamples)
            try await small.stop()
        } catch {
            try? await small.stop()
            try? await handoff?.stop()
            throw error
        }
        var large = handoff
        if let pair = large, pair.records != sizes.noopLarge {
            try await pair.stop()
            large = nil
        }
        let pair: SyncedPair
        if let large {
            pair = large
        } else {
            pair = try await makePair(context, records: sizes.noopLarge, name: "b3-large")
        }
        let largeLatency: Double
        do {
            largeLatency = try await medianNoopSync(pair, samples: sizes.noopSamples)
            try await pair.stop()
        } catch {
            try? await pair.stop()
            throw error
        }
        let n = NumberText.grouped
        return [
            Figure(
                .b3, "median no-op sync, \(n(sizes.noopSmall)) records", smallLatency * 1000, .milliseconds,
                target: .atMost(5)),
            Figure(
                .b3, "median no-op sync, \(n(sizes.noopLarge)) records", largeLatency * 1000, .milliseconds,
                target: .atMost(5)),
            Figure(.b3, "latency ratio large / small", largeLatency / smallLatency, .ratio, target: .atMost(1.5)),
        ]
    }

    /// A server and nodes A and B that all hold the same `records` members.
    static func makePair(_ context: BenchContext, records: Int, name: String) async throws -> SyncedPair {
        let world = try await SyncWorld.start(context.workspace, name: name)
        do {
            let a = try world.addNode("\(name)-a")
            try a.replica.insertMembers(MemberRow.generate(count: records, seed: 0x4233_0000 &+ UInt64(records)))
            let b = try world.addNode("\(name)-b")
            try await world.sync(a)
            try await world.sync(b)
            try world.requireConverged([a, b], "B3 setup")
            return SyncedPair(world: world, a: a, b: b, records: records)
        } catch {
            try? await world.stop()
            throw error
        }
    }

    /// Syncs node B again and again with nothing to do; the median seconds of one sync.
    static func medianNoopSync(_ pair: SyncedPair, samples: Int) async throws -> Double {
        // Warm up: both nodes have pulled up to the feed's end, statements and connections are cached.
        for _ in 0..<3 {
            try await pair.world.sync(pair.a)
            try await pair.world.sync(pair.b)
        }
        var times: [Double] = []
        for _ in 0..<samples {
            let (report, seconds) = try await Stopwatch.time { try await pair.world.sync(pair.b) }
            guard report.pushed == 0, report.pulled == 0, report.digestMatches == true else {
                throw BenchFailure("B3: a no-op sync pushed \(report.pushed) and pulled \(report.pulled)")
            }
            times.append(seconds)
        }
        return FigureSummary.median(times)
    }
}
