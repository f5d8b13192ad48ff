import Foundation
import PostgresTestSupport
import Testing

/// CI must run the PostgreSQL tests, never skip them: `.ci/run` starts a cluster for them.
@Suite("PostgreSQL availability")
struct PostgresAvailabilityTests {
    @Test func continuousIntegrationHasAPostgreSQLCluster() {
        let inCI = ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "false" } ?? false
        #expect(
            !inCI || PostgresTestDatabase.isAvailable,
            "CI is set but HEARTH_TEST_POSTGRES_URL is not: .ci/run must start PostgreSQL (.ci/postgres.sh)")
        if !PostgresTestDatabase.isAvailable { print("[postgres] \(PostgresTestDatabase.skipReason)") }
    }
}
