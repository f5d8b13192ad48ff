import Testing

/// Lets one test at a time of the suites that carry it run: the tests that start real `hearth`
/// and `hearth-server` processes and wait for them.
///
/// Those tests are synchronous, so each blocks one of Swift's cooperative threads (one per core)
/// while its processes run, often for seconds. Two at once on a two-core machine left nothing for
/// every other test, whose servers and clients run on those threads: they stood still for minutes
/// (their "started" and "passed" a hundred seconds apart for a few milliseconds of work). A test
/// waiting for its turn here suspends without holding a thread.
struct OneProcessTestAtATime: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    /// Each run of a test function (each case of a parameterised one), not the suite around them.
    func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        await ProcessTestTurns.shared.take()
        do {
            try await function()
        } catch {
            await ProcessTestTurns.shared.hand()
            throw error
        }
        await ProcessTestTurns.shared.hand()
    }
}

extension Trait where Self == OneProcessTestAtATime {
    /// One test at a time among the suites that start real processes (`OneProcessTestAtATime`).
    static var oneProcessTestAtATime: Self { Self() }
}

/// The turn among process tests: held by one, the others suspended in order.
actor ProcessTestTurns {
    static let shared = ProcessTestTurns()
    private var taken = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func take() async {
        guard taken else {
            taken = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the turn to the next waiting test, if any (it stays taken), else frees it.
    func hand() {
        if waiting.isEmpty {
            taken = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
