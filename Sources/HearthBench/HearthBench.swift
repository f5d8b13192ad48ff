import ArgumentParser

/// `hearth-bench`: the benchmarks of issues 5, 10 and 11, each figure measured against a baseline taken in the same run.
///
/// Build it with `-c release`. `hearth-bench --quick` is the smoke run (tiny sizes, seconds).
@main
struct HearthBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hearth-bench",
        abstract: "Measure Hearth against raw SQLite and SQLite's session extension on this machine.",
        discussion: """
            Scenarios B1–B7 and B10 of docs/BENCHMARKS.md run through the product's own code paths: replicas on disk
            (WAL, the shipped settings), a real server on 127.0.0.1, HTTP through HTTPSyncTransport. Ratios
            to the raw-SQLite baseline of the same run are the targets; absolute rates are context. With
            --postgres, B2-pg, B2-pg2, B5-pg and B5-pg2 run B2 and B5 with the server on PostgreSQL (one
            server, and two on one database).
            """,
        subcommands: [RunCommand.self, ReportCommand.self, InitialSyncClientCommand.self, CodecCommand.self],
        defaultSubcommand: RunCommand.self)
}
