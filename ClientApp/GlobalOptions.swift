import ArgumentParser
import Foundation
import Replica

/// Options every `hearth` command accepts: which replica file to use.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The replica database file (default: $HEARTH_DB, else ./hearth.db).", valueName: "path"))
    var db: String?

    /// The replica path: `--db`, else `$HEARTH_DB`, else `./hearth.db`.
    var path: String {
        if let db, !db.isEmpty { return db }
        if let fromEnvironment = ProcessInfo.processInfo.environment["HEARTH_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "./hearth.db"
    }

    /// Opens the existing replica at `path`; refuses with a hint to run `hearth init` when there is none.
    func openReplica() throws(ReplicaError) -> Replica {
        try Replica.open(at: path)
    }
}
