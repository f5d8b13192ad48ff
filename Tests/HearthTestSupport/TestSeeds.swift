import Foundation
public import Testing

/// Seeds for randomised tests: fresh each run, or one replayed from `HEARTH_TEST_SEED`.
///
/// Every expectation of a randomised case names its seed; to replay a failure run
/// `HEARTH_TEST_SEED=<seed> swift test --filter <test name>`, which runs that one case only.
public enum TestSeeds {
    public static let environmentKey = "HEARTH_TEST_SEED"

    public static var replayed: UInt64? {
        ProcessInfo.processInfo.environment[environmentKey].flatMap { UInt64($0) }
    }

    /// `count` independent case seeds, or just the replayed one.
    public static func cases(_ count: Int) -> [UInt64] {
        if let replayed { return [replayed] }
        var source = SeededGenerator(seed: UInt64.random(in: .min ... .max))
        return (0..<count).map { _ in source.next() }
    }

    public static func comment(_ seed: UInt64, _ detail: String = "") -> Comment {
        "seed \(seed)\(detail.isEmpty ? "" : ", \(detail)"); replay with \(environmentKey)=\(seed)"
    }
}
