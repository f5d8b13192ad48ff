import Foundation

/// Progress lines on standard error, so standard output carries only the table or the JSON.
struct ProgressLog: Sendable {
    func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// Seconds from `ContinuousClock`, the one clock every measurement uses.
enum Stopwatch {
    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    static func time<T>(_ body: () throws -> T) rethrows -> (result: T, seconds: Double) {
        let start = ContinuousClock.now
        let result = try body()
        return (result, seconds(start.duration(to: .now)))
    }

    static func time<T>(_ body: () async throws -> T) async rethrows -> (result: T, seconds: Double) {
        let start = ContinuousClock.now
        let result = try await body()
        return (result, seconds(start.duration(to: .now)))
    }

    static func format(_ duration: Duration) -> String {
        String(format: "%.1f s", seconds(duration))
    }
}

/// A benchmark found the product misbehaving (replicas that do not converge, a failed sync).
struct BenchFailure: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
