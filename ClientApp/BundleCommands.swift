import ArgumentParser
import Foundation
import HearthCLI
import HearthProtocol
import Replica
import SyncCore
import SyncServer

/// `hearth bundle …`: change files carried without a network, signed by the node that made them.
struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Carry changes on a USB stick: export them to a signed file here, import it at another replica.",
        subcommands: [Export.self, Import.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the changes another replica lacks (or everything) to a signed change file.",
            discussion: """
                --for names this replica's hub or server (by node id: what it has not acknowledged yet) or a \
                laptop registered here (by id or name: what changed since its last sync). Without --for the file \
                holds everything this replica has. The file is signed with this node's key and may be imported \
                by the center that serves this laptop, or by this center's laptops.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "The file to write (it must not exist yet).") var out: String
        @Option(name: .customLong("for"), help: "Whom the file is for: a node id, or a laptop's name.")
        var recipient: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let replica = try global.openReplica()
            let file = try ChangeFileExport.make(
                replica: replica, for: try ChangeFileExport.recipient(named: recipient, replica: replica),
                at: Replica.systemWallClock())
            try PrivateFile.create(out, bytes: try file.bytes(signedWith: try replica.signingKey()))
            if json {
                print(
                    JSONValue.object([
                        "changes": .integer(Int64(file.states.count)), "file": .string(out),
                        "for": file.header.madeFor.map { .string($0) } ?? .null,
                    ]).rendered())
            } else {
                print("wrote \(file.states.count) change(s) to \(out), signed by this node (\(replica.nodeID.short))")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply a signed change file with the rules of a sync, in one transaction.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The change file.") var file: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let replica = try global.openReplica()
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            } catch {
                throw ReplicaError(.notFound, "cannot read \(file); give the path of a change file")
            }
            let changeFile: ChangeFile
            do {
                changeFile = try ChangeFile.read(bytes)
            } catch {
                throw ReplicaError(.refused, "\(file): \(error.message)")
            }
            let outcome = try await ChangeFileImport.apply(changeFile, to: replica)
            if json {
                print(
                    JSONValue.object([
                        "signer": .string(outcome.signer.rawValue), "changes": .integer(Int64(outcome.changes)),
                        "accepted": .integer(Int64(outcome.accepted)),
                        "alreadyKnown": .integer(Int64(outcome.alreadyKnown)),
                        "conflicts": .integer(Int64(outcome.conflicts)),
                        "refused": .array(outcome.refused.map { .string($0) }),
                    ]).rendered())
            } else {
                print(
                    "imported \(outcome.changes) change(s) from \(outcome.signerName): \(outcome.accepted) new, "
                        + "\(outcome.alreadyKnown) already known, \(outcome.conflicts) conflict(s)")
            }
            for refusal in outcome.refused.prefix(20) { StandardError.write("refused: \(refusal)") }
            if !outcome.refused.isEmpty {
                StandardError.error(
                    "\(outcome.refused.count) change(s) of the file were refused (above); the rest was imported")
                throw ExitCode(ExitStatus.refused)
            }
        }
    }
}
