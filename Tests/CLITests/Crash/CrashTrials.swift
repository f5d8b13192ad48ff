import Foundation
import HearthTestSupport
import Testing

/// Runs the trials of one crash fault: how many, from which seeds, and how each one is reported.
///
/// First one calibration trial runs the same work without a kill and times the command to be
/// killed; each trial then kills it after that time multiplied by a fraction drawn from its
/// seed, so the kills spread over the whole command on a fast machine and a slow one alike.
/// `HEARTH_CRASH_TRIALS` sets the number of trials (default 20); `HEARTH_TEST_SEED` replays one.
enum CrashTrials {
    static let environmentKey = "HEARTH_CRASH_TRIALS"
    static let defaultCount = 20
    /// A fault stops after this many failed trials: the failures are reported, the rest would only repeat them.
    static let failureLimit = 3

    static var count: Int {
        ProcessInfo.processInfo.environment[environmentKey].flatMap { Int($0) }.map { max($0, 1) } ?? defaultCount
    }

    /// Where a kill landed, as one of a few phases, with the detail printed beside the seed.
    struct Landing {
        var phase: String
        var detail: String
        /// How long each command to be killed ran, by name (in the calibration trial: without a kill).
        var timings: Timings
    }

    typealias Timings = [String: TimeInterval]

    /// Runs the calibration trial, then `count` trials (or the replayed one), and prints a summary.
    ///
    /// `trial` gets its seed and the calibrated timings (nil in the calibration trial: do not kill).
    static func run(_ fault: String, _ trial: (UInt64, Timings?) throws -> Landing) {
        let seeds = TestSeeds.cases(count)
        let started = Date()
        let calibrated: Timings
        do {
            let landing = try trial(seeds[0], nil)
            calibrated = landing.timings.mapValues { max($0, 0.05) }
            let times = calibrated.sorted { $0.key < $1.key }.map { "\($0.key) \(milliseconds($0.value))" }
            print("[crash] \(fault): calibration without a kill (seed \(seeds[0])): \(times.joined(separator: ", "))")
        } catch {
            Issue.record(
                "\(fault): the calibration trial without a kill failed: \(error); \(TestSeeds.comment(seeds[0]))")
            return
        }
        var phases: [String: Int] = [:]
        var failed: [UInt64] = []
        for (index, seed) in seeds.enumerated() {
            let name = "\(fault) trial \(index + 1)/\(seeds.count) seed \(seed)"
            do {
                let landing = try trial(seed, calibrated)
                phases[landing.phase, default: 0] += 1
                print("[crash] \(name): \(landing.phase) (\(landing.detail)); recovered, converged, checks clean")
            } catch {
                failed.append(seed)
                print("[crash] \(name): FAILED: \(error)")
                Issue.record("\(name) failed: \(error); \(TestSeeds.comment(seed))")
                if failed.count >= failureLimit {
                    Issue.record("\(fault): stopped after \(failed.count) failed trials")
                    break
                }
            }
        }
        let summary = phases.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print(
            "[crash] \(fault): \(seeds.count) trials in \(milliseconds(Date().timeIntervalSince(started))), "
                + "\(failed.count) failed\(failed.isEmpty ? "" : " (seeds \(failed))"); kills landed: \(summary)")
    }

    static func milliseconds(_ seconds: TimeInterval) -> String {
        "\(Int((seconds * 1000).rounded())) ms"
    }
}
