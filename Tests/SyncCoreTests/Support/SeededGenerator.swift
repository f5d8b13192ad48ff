import Foundation
import Testing

/// A small, fast, reproducible random number generator (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Seeds for randomised tests: fresh each run, or one replayed from `HEARTH_TEST_SEED`.
///
/// Every expectation of a randomised case names its seed; to replay a failure run
/// `HEARTH_TEST_SEED=<seed> swift test --filter <test name>`, which runs that one case only.
enum TestSeeds {
    static let environmentKey = "HEARTH_TEST_SEED"

    static var replayed: UInt64? {
        ProcessInfo.processInfo.environment[environmentKey].flatMap { UInt64($0) }
    }

    /// `count` independent case seeds, or just the replayed one.
    static func cases(_ count: Int) -> [UInt64] {
        if let replayed { return [replayed] }
        var source = SeededGenerator(seed: UInt64.random(in: .min ... .max))
        return (0..<count).map { _ in source.next() }
    }

    static func comment(_ seed: UInt64, _ detail: String = "") -> Comment {
        "seed \(seed)\(detail.isEmpty ? "" : ", \(detail)"); replay with \(environmentKey)=\(seed)"
    }
}
