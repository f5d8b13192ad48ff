import ArgumentParser
import Foundation
import HearthCLI
import Replica
import SyncClient

/// The `hearth` command: a service center's offline replica of members, activities and participation.
///
/// Exit codes: 0 on success, 1 when an operation is refused (unknown id, invalid input, a rule
/// broken; nothing is changed), 2 for usage errors (unknown option, missing argument).
@main
struct Hearth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hearth",
        abstract: "Keep a service center's members, activities and participation, offline first.",
        discussion: """
            Records live in a local SQLite replica (--db PATH, else $HEARTH_DB, else ./hearth.db). \
            Every read command takes --json and then prints only JSON. Exit codes: 0 success, \
            1 refused (nothing was changed), 2 usage error.
            """,
        version: HearthVersion.string,
        subcommands: [
            InitCommand.self,
            MemberCommand.self,
            ActivityCommand.self,
            RegisterCommand.self,
            CheckInCommand.self,
            CancelCommand.self,
            AttendanceCommand.self,
            ExportCommand.self,
            CaseCommand.self,
            MutualAidCommand.self,
            CertificateCommand.self,
            ReportCommand.self,
            StatusCommand.self,
            SyncCommand.self,
            RemoteCommand.self,
            ServeCommand.self,
            NodeCommand.self,
            BundleCommand.self,
            ConflictsCommand.self,
            CheckCommand.self,
            DemoCommand.self,
        ]
    )

    /// Lets `--db` also come before the subcommand (`hearth --db center.db status`).
    @OptionGroup var global: GlobalOptions

    /// Runs the command line, mapping failures to `hearth`'s exit codes instead of ArgumentParser's.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ReplicaError {
            StandardError.error(error.message)
            Foundation.exit(ExitStatus.refused)
        } catch let error as SyncClientError {
            StandardError.error(error.message)
            Foundation.exit(ExitStatus.refused)
        } catch {
            Foundation.exit(ExitStatus.report(error, for: Self.self))
        }
    }
}
