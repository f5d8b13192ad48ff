import ArgumentParser
import HearthCLI
import Replica
import SyncCore

/// `hearth check`: SQLite's integrity check, the kept digest against one computed afresh from
/// every record's stored state, and the result of the last sync's digest comparison with the server.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Verify the replica's integrity and its digest.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let replica = try global.openReplica()
        let (integrity, kept, records, lastSync) = try replica.read { reader in
            (
                try reader.integrityCheck(), try reader.digest(), try reader.checkRecords(),
                try reader.setting("last_sync_digest_match")
            )
        }
        let recomputed = records.digest
        let integrityOK = integrity == ["ok"]
        let digestOK = kept == recomputed && records.isSound
        let serverOK = lastSync != "no"
        if json {
            print(
                JSONValue.object([
                    "integrity": .string(integrityOK ? "ok" : integrity.joined(separator: "; ")),
                    "digest": .string(kept.hex), "digestConsistent": .bool(digestOK),
                    "records": .integer(Int64(records.records)),
                    "recordsAltered": .integer(Int64(records.mismatched)),
                    "recordsUnreadable": .integer(Int64(records.unreadable)),
                    "matchesServerAtLastSync": lastSync.map { $0 == "unknown" ? .null : .bool($0 == "yes") } ?? .null,
                ]).rendered())
        } else {
            print("SQLite integrity: \(integrityOK ? "ok" : integrity.joined(separator: "; "))")
            print(
                "digest: \(kept.hex) \(digestOK ? "(matches the records)" : "(DOES NOT match the records: \(recomputed.hex))")"
            )
            if !records.isSound {
                print(
                    "records: \(records.mismatched) of \(records.records) altered outside Hearth, \(records.unreadable) "
                        + "unreadable; restore the replica from a backup, or move it aside, init again and sync")
            }
            print(
                "last sync: \(lastSync.map { $0 == "yes" ? "digest matched the server" : $0 == "no" ? "DIGEST DIFFERED from the server" : "digest not compared" } ?? "never synced")"
            )
        }
        if !(integrityOK && digestOK && serverOK) { throw ExitCode(ExitStatus.refused) }
    }
}
