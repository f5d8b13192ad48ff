import ArgumentParser
import HearthCLI
import Replica
import SyncCore

/// `hearth certificate add|list`: national vocational certificates members gained.
struct CertificateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certificate",
        abstract: "Record and list the vocational certificates members gained after contests and trainings.",
        subcommands: [Add.self, List.self]
    )

    /// Lets `--db` also come between the group and its subcommand.
    @OptionGroup var global: GlobalOptions

    static var type: RecordType { HearthSchema.certificate }
    static let levelsHelp = HearthSchema.certificateLevels.joined(separator: ", ")
}

extension CertificateCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a certificate and print its id.")

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The member's id.", valueName: "id")) var member: String
        @Option(help: "The trade, like 焊工 or 塔吊司机.") var trade: String
        @Option(help: ArgumentHelp("When it was issued, like 2026-03-01.", valueName: "date")) var date: String
        @Option(help: "One of \(CertificateCommand.levelsHelp).") var level: String?
        @Option(help: ArgumentHelp("The contest or training that led to it (an activity id).", valueName: "id"))
        var activity: String?
        @Flag(help: "Print the certificate as JSON instead of its id.") var json = false

        func run() throws {
            let values = try FieldInput.values(
                CertificateCommand.type,
                [
                    .init("memberId", member), .init("trade", trade), .init("issuedOn", date), .init("level", level),
                    .init("activityId", activity),
                ])
            let record = try RecordOperations(replica: try global.openReplica(), type: CertificateCommand.type)
                .add(values)
            print(json ? record.json.rendered() : record.id)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List certificates, optionally of one trade or member.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only certificates of this trade.") var trade: String?
        @Option(help: ArgumentHelp("Only certificates of this member.", valueName: "id")) var member: String?
        @Flag(help: "Print a JSON array of certificates.") var json = false

        func run() throws {
            let filters = try FieldInput.filters(
                CertificateCommand.type, [.init("trade", trade), .init("memberId", member)])
            let records = try RecordOperations(replica: try global.openReplica(), type: CertificateCommand.type)
                .list(filters: filters)
            RecordPrinter.list(records, type: CertificateCommand.type, json: json, filtered: !filters.isEmpty)
        }
    }
}
