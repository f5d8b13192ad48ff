import ArgumentParser
import Foundation

/// Runs the selected scenarios `--runs` times and prints the medians as a table or JSON.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the scenarios and print the table (the default command).")

    @Flag(help: "Print a JSON document instead of the table.")
    var json = false
    @Flag(help: "Tiny sizes: a smoke run that finishes in seconds.")
    var quick = false
    @Option(help: "Run only these scenarios, comma-separated, e.g. B1,B3.")
    var only: String?
    @Option(help: "Run every scenario N times and report the median of each figure.")
    var runs = 1
    @OptionGroup(title: "Sizes (defaults: the issue's; --quick shrinks them)")
    var sizes: SizeOptions
    @Option(help: "The hearth-server executable for B5 (default: next to this executable).")
    var serverBinary: String?
    @Option(
        help: ArgumentHelp(
            "A PostgreSQL cluster for B2-pg, B2-pg2, B5-pg and B5-pg2: postgres://USER@HOST:PORT/DB?sslmode=disable "
                + "(else $\(PostgresCluster.environmentKey)); each gets a new database there, dropped afterwards. "
                + "Without it they are skipped.", valueName: "url"))
    var postgres: String?
    @Option(help: "Where to create the databases (default: a new folder in the temporary directory).")
    var workDir: String?
    @Flag(help: "Keep the databases afterwards.")
    var keepFiles = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        _ = try selectedScenarios()
        do {
            _ = try PostgresCluster.named(postgres)
        } catch {
            throw ValidationError("--postgres (or $\(PostgresCluster.environmentKey)): \(error)")
        }
    }

    func selectedScenarios() throws -> [ScenarioID] {
        guard let only else { return ScenarioID.allCases }
        var selected: [ScenarioID] = []
        for item in only.split(separator: ",") {
            guard let id = ScenarioID(named: item.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError(
                    "unknown scenario '\(item)' in --only; use ids B1 to B8, B10, B12, B2-pg, B2-pg2, B5-pg and B5-pg2, "
                        + "e.g. --only B1,B3")
            }
            if !selected.contains(id) { selected.append(id) }
        }
        return ScenarioID.allCases.filter(selected.contains)
    }

    func run() async throws {
        let resolved = sizes.resolved(quick: quick)
        var scenarios = try selectedScenarios()
        let log = ProgressLog()
        let cluster = try PostgresCluster.named(postgres)
        var postgresSummary: String?
        if let cluster {
            postgresSummary = try await cluster.describe()
        } else {
            let skipped = scenarios.filter { $0.postgresServers != nil }
            if !skipped.isEmpty {
                log.say(
                    "hearth-bench: \(skipped.map(\.rawValue).joined(separator: ", ")) skipped: \(PostgresCluster.howToEnable)"
                )
            }
            scenarios.removeAll { $0.postgresServers != nil }
        }
        let workspace = try BenchWorkspace(at: workDir, keep: keepFiles)
        log.say(
            "hearth-bench: \(scenarios.map(\.rawValue).joined(separator: ",")), \(runs) run(s), files in \(workspace.root.path)"
        )
        if let cluster, let postgresSummary { log.say("    on \(postgresSummary) at \(cluster.location)") }
        let context = BenchContext(
            sizes: resolved, workspace: workspace, log: log, serverBinary: ServerProcess.locateBinary(serverBinary),
            postgres: cluster)
        var allRuns: [[Figure]] = []
        do {
            for run in 1...runs {
                var figures: [Figure] = []
                var handoff: SyncedPair?
                for scenario in scenarios {
                    log.say("[run \(run)/\(runs)] \(scenario.rawValue): \(scenario.title(resolved))")
                    let started = ContinuousClock.now
                    switch scenario {
                    case .b1: figures += try InsertScenario.run(context)
                    case .b2:
                        let outcome = try await InitialSyncScenario.run(context, keepForNoop: scenarios.contains(.b3))
                        figures += outcome.figures
                        handoff = outcome.pair
                    case .b2pg, .b2pg2: figures += try await InitialSyncScenario.run(context, onPostgres: scenario)
                    case .b3:
                        figures += try await NoopSyncScenario.run(context, large: handoff)
                        handoff = nil
                    case .b4: figures += try await ConcurrentEditScenario.run(context)
                    case .b5: figures += try await ManyNodesScenario.run(context)
                    case .b5pg, .b5pg2: figures += try await ManyNodesScenario.run(context, onPostgres: scenario)
                    case .b6: figures += try await WireBytesScenario.run(context)
                    case .b7: figures += try await LargeInitialSyncScenario.run(context)
                    case .b8: figures += try await PropagationScenario.run(context)
                    case .b9: figures += try await FanOutScenario.run(context)
                    case .b10: figures += try await CollectionScenario.run(context)
                    case .b12: figures += try await FieldWorkScenario.run(context)
                    }
                    log.say("    done in \(Stopwatch.format(started.duration(to: .now)))")
                }
                if let handoff { try await handoff.stop() }
                allRuns.append(figures)
            }
            try await context.shutdown()
        } catch {
            try? await context.shutdown()
            workspace.finish()
            throw error
        }
        workspace.finish()
        let summaries = FigureSummary.summarise(allRuns)
        if json {
            let document = BenchDocument(
                machine: MachineInfo.current(), sizes: resolved, runs: runs, scenarios: scenarios.map(\.rawValue),
                figures: summaries, postgres: postgresSummary)
            print(try document.jsonText())
        } else {
            print(ReportTable(summaries: summaries, sizes: resolved).render())
            print(MachineInfo.current().summaryLine)
            if let postgresSummary { print("server database for the -pg scenarios: \(postgresSummary)") }
        }
    }
}
