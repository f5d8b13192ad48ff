import ArgumentParser
import HearthCLI
import Replica
import SyncCore

/// `hearth check`: SQLite's integrity check, the kept digest against one computed afresh, and
/// the result of the last sync's digest comparison with the server.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Verify the replica's integrity and its digest.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let replica = try global.openReplica()
        let (integrity, kept, recomputed, lastSync) = try replica.read { reader in
            (
                try reader.integrityCheck(), try reader.digest(), try reader.recomputedDigest(),
                try reader.setting("last_sync_digest_match")
            )
        }
        let integrityOK = integrity == ["ok"]
        let digestOK = kept == recomputed
        let serverOK = lastSync != "no"
        if json {
            print(
                JSONValue.object([
                    "integrity": .string(integrityOK ? "ok" : integrity.joined(separator: "; ")),
                    "digest": .string(kept.hex), "digestConsistent": .bool(digestOK),
                    "matchesServerAtLastSync": lastSync.map { $0 == "unknown" ? .null : .bool($0 == "yes") } ?? .null,
                ]).rendered())
        } else {
            print("SQLite integrity: \(integrityOK ? "ok" : integrity.joined(separator: "; "))")
            print(
                "digest: \(kept.hex) \(digestOK ? "(matches the records)" : "(DOES NOT match the records: \(recomputed.hex))")"
            )
            print(
                "last sync: \(lastSync.map { $0 == "yes" ? "digest matched the server" : $0 == "no" ? "DIGEST DIFFERED from the server" : "digest not compared" } ?? "never synced")"
            )
        }
        if !(integrityOK && digestOK && serverOK) { throw ExitCode(ExitStatus.refused) }
    }
}
