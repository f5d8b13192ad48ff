import Foundation
import HearthTestSupport
import PostgresTestSupport
import Synchronization
import Testing

/// The randomised convergence kit: many small random schedules, each ending in a full sync
/// after which every replica must hold the same records and the same open conflicts, equal to
/// the join of every write that still exists after tombstone collection, with no collectable
/// tombstone left anywhere.
///
/// Besides writes, syncs and network faults (lost, duplicated, late and replayed messages,
/// partitions), schedules include deletes and their collection, three tiers (a hub serving its
/// laptops with its own service and network, laptops going home to the server and back, change
/// files carried by hand, damaged or stale: `ChangeFileCourier`), nodes on an older release
/// upgraded mid-run, a center restored from an older copy of its replica, and a long partition
/// during which the server revokes the center and later readmits it (`ScheduleIncidents`).
///
/// Two configurations run the same schedules: the server on SQLite, and two server processes
/// over one PostgreSQL database, each request reaching either (`ServerSetup`). Every incident
/// hits a node, not the server's database, so both run them all.
///
/// - `HEARTH_CONVERGENCE_SCHEDULES=N` runs N schedules on SQLite instead of 500 (a longer run),
///   `HEARTH_CONVERGENCE_POSTGRES_SCHEDULES=N` N on PostgreSQL instead of 60.
/// - `HEARTH_SEED=S` replays the one schedule with seed S and prints its every step.
/// - `HEARTH_CONVERGENCE_JOBS=J` runs J schedules at a time (default: one per processor).
@Suite("Convergence")
struct ConvergenceTests {
    /// How one configuration's schedules are counted and replayed.
    struct Run {
        var setup: ServerSetup
        /// The variable that sets how many schedules run, and how many without it.
        var countKey: String
        var defaultCount: Int
        /// The test's name, for the replay command.
        var test: String
    }

    static let seedKey = "HEARTH_SEED"
    /// After this many failing schedules the run stops: more would add noise, not information.
    static let maxReportedFailures = 3

    @Test func randomSchedulesConvergeAfterAFullSync() async throws {
        try await Self.run(
            Run(
                setup: .sqlite, countKey: "HEARTH_CONVERGENCE_SCHEDULES", defaultCount: 500,
                test: "randomSchedulesConvergeAfterAFullSync"))
    }

    /// Fewer schedules than on SQLite: every request takes a few round trips to PostgreSQL.
    @Test(.enabled(if: PostgresTestDatabase.isAvailable, PostgresTestDatabase.skipReason))
    func randomSchedulesConvergeWithTwoServersOverOnePostgreSQL() async throws {
        try await Self.run(
            Run(
                setup: .postgres(servers: 2), countKey: "HEARTH_CONVERGENCE_POSTGRES_SCHEDULES", defaultCount: 60,
                test: "randomSchedulesConvergeWithTwoServersOverOnePostgreSQL"))
    }

    /// How many schedules run at once: `HEARTH_CONVERGENCE_JOBS`, else one per processor (2 to 8).
    static func parallelSchedules(_ environment: [String: String]) -> Int {
        environment["HEARTH_CONVERGENCE_JOBS"].flatMap { Int($0) }.map { max($0, 1) }
            ?? min(max(ProcessInfo.processInfo.activeProcessorCount, 2), 8)
    }

    static func report(
        _ outcome: ConvergenceSchedule.Outcome, number: Int, of count: Int, replaying: Bool, run: Run
    ) -> Comment {
        let steps = outcome.trace.suffix(replaying ? 0 : 25).joined(separator: "\n  ")
        return """
            schedule \(number) of \(count) (seed \(outcome.seed), \(run.setup)) did not converge:
            \(outcome.problems.prefix(6).joined(separator: "\n"))
            \(steps.isEmpty ? "" : "last steps:\n  \(steps)\n")\
            replay it with: \(seedKey)=\(outcome.seed) swift test --filter ConvergenceTests/\(run.test)
            """
    }

    /// Runs the configuration's schedules, records an issue for each that did not converge, and
    /// prints what they did.
    static func run(_ run: Run) async throws {
        let environment = ProcessInfo.processInfo.environment
        let replayed = environment[Self.seedKey].flatMap { UInt64($0) }
        let count = environment[run.countKey].flatMap { Int($0) }.map { max($0, 1) } ?? run.defaultCount
        let baseSeed = UInt64.random(in: .min ... .max)
        var seeds = SeededGenerator(seed: baseSeed)
        let schedule: [UInt64] = replayed.map { [$0] } ?? (0..<count).map { _ in seeds.next() }

        let templates = try ReplicaTemplates()
        defer { templates.close() }
        let started = ContinuousClock.now
        var totals = ConvergenceSchedule.Outcome(seed: baseSeed)
        var failures = 0
        var ran = 0
        // Schedules are independent (each has its own directory, replicas, server and
        // generators), so several run at once; each is still driven step by step from its own
        // single task.
        let running = RunningSchedules()
        let watch = Task { await running.reportTheStuck(run: run) }
        defer { watch.cancel() }
        await withTaskGroup(of: (Int, ConvergenceSchedule.Outcome).self) { group in
            var next = 0
            func startNext() {
                guard next < schedule.count else { return }
                let (index, seed) = (next, schedule[next])
                group.addTask {
                    running.started(seed)
                    defer { running.ended(seed) }
                    return (index, await ConvergenceSchedule(seed: seed, templates: templates, setup: run.setup).run())
                }
                next += 1
            }
            for _ in 0..<Self.parallelSchedules(environment) { startNext() }
            for await (index, outcome) in group {
                totals.add(outcome)
                ran += 1
                if replayed != nil { print(outcome.trace.joined(separator: "\n")) }
                if !outcome.problems.isEmpty {
                    failures += 1
                    Issue.record(
                        Self.report(
                            outcome, number: index + 1, of: schedule.count, replaying: replayed != nil, run: run))
                }
                if failures < Self.maxReportedFailures { startNext() }
            }
        }
        let elapsed = started.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let source = replayed.map { "replayed seed \($0)" } ?? "base seed \(baseSeed)"
        let incidents = totals.incidents
        let files = totals.files
        let switches =
            totals.faults.serverSwitches > 0
            ? " (\(totals.faults.serverSwitches) requests reached another server than their node's previous one)" : ""
        print(
            "Convergence (\(run.setup)): \(ran) of \(schedule.count) schedules, \(totals.operations) operations "
                + "(\(totals.refused) refused, \(totals.resolutions) conflict resolutions, \(totals.openConflictsAtEnd) "
                + "conflicts left open and compared), \(totals.syncs) syncs\(switches) (\(totals.failedSyncs) cut short by "
                + "the network, \(totals.refusedBySync) changes refused and kept pending); laptops: \(totals.laptopSyncs) "
                + "syncs (\(totals.laptopSyncsWithServer) with the server, gone home), \(files.filesImported) change "
                + "files imported (\(files.importedTwice) twice, \(files.staleImported) stale, \(files.changesRefused) "
                + "changes refused in them), \(files.refusedWhole) refused whole as documented, \(files.damagedRefused) "
                + "damaged copies refused; \(totals.faults.total) faults injected; "
                + "collection: \(totals.collectedTombstones) tombstones collected, a stable vector in "
                + "\(totals.stableAtEnd) schedules at the end (\(totals.stableMidRun) before the final sync); "
                + "stale replicas: \(incidents.restores) restored from a copy (\(incidents.lostWrites) writes lost with "
                + "the replica, \(incidents.writesOnRestoredCopies) made on the copy), \(incidents.longPartitions) long "
                + "partitions (\(incidents.readmissions) revoked and readmitted), \(incidents.renumberings) renumberings; "
                + "upgrades: \(incidents.olderNodes) nodes on the older release, \(incidents.upgrades) upgraded mid-run; "
                + "\(String(format: "%.1f", seconds)) s (\(source))")
    }
}

/// The schedules running now and since when: one that runs for minutes (they take seconds) is
/// named with its seed while the run goes on, so a hang can be replayed (`HEARTH_SEED`).
final class RunningSchedules: Sendable {
    private let since = Mutex<[UInt64: ContinuousClock.Instant]>([:])
    /// How long a schedule may run before it is named.
    static let patience: Duration = .seconds(120)

    func started(_ seed: UInt64) { since.withLock { $0[seed] = .now } }
    func ended(_ seed: UInt64) { _ = since.withLock { $0.removeValue(forKey: seed) } }

    /// Every 10 s until cancelled, prints (once each) the schedules running past `patience`.
    func reportTheStuck(run: ConvergenceTests.Run) async {
        var named: Set<UInt64> = []
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(10))
            let stuck = since.withLock { since in since.filter { .now - $0.value > Self.patience }.map(\.key) }
            for seed in stuck where named.insert(seed).inserted {
                // To stderr, which is not buffered: the run may never get to flush stdout.
                FileHandle.standardError.write(
                    Data(
                        ("Convergence (\(run.setup)): schedule with seed \(seed) has run for over \(Self.patience); "
                            + "replay it with \(ConvergenceTests.seedKey)=\(seed) swift test --filter "
                            + "ConvergenceTests/\(run.test)\n").utf8))
            }
        }
    }
}
