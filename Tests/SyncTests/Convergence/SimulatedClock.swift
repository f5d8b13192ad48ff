import Synchronization

/// The simulation's wall clock: milliseconds since 1970 that move only when the schedule says so.
///
/// Wall time is display data in Hearth (it is stamped on field versions and hashed into the
/// digest, but never decides a winner), so the simulation drives it: a replayed seed stamps the
/// same times, and nodes can be given badly skewed clocks to show that skew changes nothing.
final class SimulatedClock: Sendable {
    /// 2026-01-28T00:00Z, the first day of the return-home help desk.
    static let start: Int64 = 1_769_558_400_000

    private let now = Mutex(SimulatedClock.start)

    var current: Int64 { now.withLock { $0 } }

    func advance(by milliseconds: Int64) {
        now.withLock { $0 += milliseconds }
    }

    /// A node's clock: the shared time plus a fixed skew (hours or days off, for some nodes).
    func reading(skew: Int64 = 0) -> @Sendable () -> Int64 {
        { [self] in self.current + skew }
    }
}
