import ArgumentParser
import HearthCLI
import Replica
import SyncCore

/// `hearth mutual-aid enrol|claim|list`: the workers' mutual-aid insurance plan.
struct MutualAidCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mutual-aid",
        abstract: "Enrol members in the workers' mutual-aid insurance plan, record claims paid, list them.",
        subcommands: [Enrol.self, Claim.self, List.self]
    )

    /// Lets `--db` also come between the group and its subcommand.
    @OptionGroup var global: GlobalOptions
}

extension MutualAidCommand {
    struct Enrol: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enrol a member for one plan year and print the enrolment's id.",
            discussion: "One enrolment per member and year: enrolling the same member twice for a year is refused.")

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The member's id.", valueName: "id")) var member: String
        @Option(parsing: .unconditional, help: ArgumentHelp("The plan year, like 2026.", valueName: "year"))
        var year: String
        @Option(
            parsing: .unconditional,
            help: ArgumentHelp("The amount paid in, in yuan, up to 2 decimals.", valueName: "yuan"))
        var paid: String
        @Option(help: "The service center that enrolled the member.") var center: String?
        @Flag(help: "Print the enrolment as JSON instead of its id.") var json = false

        func run() throws {
            let type = HearthSchema.enrolment
            let values = try FieldInput.values(
                type,
                [
                    .init("memberId", member), .init("planYear", year),
                    .init("paidInFen", try Yuan.fenText(paid, option: "paid")), .init("center", center),
                ])
            let record = try RecordOperations(replica: try global.openReplica(), type: type).add(values)
            print(json ? record.json.rendered() : record.id)
        }
    }

    struct Claim: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a claim paid on an enrolment.")

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The enrolment's id (see `hearth mutual-aid list`).", valueName: "id"))
        var enrolment: String
        @Option(help: ArgumentHelp("When it was paid, like 2026-03-01.", valueName: "date")) var date: String
        @Option(
            parsing: .unconditional,
            help: ArgumentHelp("The amount paid out, in yuan, up to 2 decimals.", valueName: "yuan"))
        var amount: String
        @Option(help: "Why it was paid (illness, injury…).") var reason: String?
        @Flag(help: "Print the claim as JSON instead of its id.") var json = false

        func run() throws {
            let type = HearthSchema.claim
            let values = try FieldInput.values(
                type,
                [
                    .init("enrolmentId", enrolment), .init("paidOn", date),
                    .init("amountFen", try Yuan.fenText(amount, option: "amount")), .init("reason", reason),
                ])
            let record = try RecordOperations(replica: try global.openReplica(), type: type).add(values)
            print(json ? record.json.rendered() : record.id)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List enrolments (optionally of one year or member), or with --claims the claims paid.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "List claims instead of enrolments.") var claims = false
        @Option(parsing: .unconditional, help: ArgumentHelp("Only enrolments of this plan year.", valueName: "year"))
        var year: String?
        @Option(help: ArgumentHelp("Only enrolments of this member.", valueName: "id")) var member: String?
        @Flag(help: "Print a JSON array.") var json = false

        func validate() throws {
            if claims, year != nil || member != nil {
                throw ValidationError("--year and --member filter enrolments; leave them out with --claims")
            }
        }

        func run() throws {
            let type = claims ? HearthSchema.claim : HearthSchema.enrolment
            let filters =
                claims
                ? [:] : try FieldInput.filters(type, [.init("planYear", year), .init("memberId", member)])
            let records = try RecordOperations(replica: try global.openReplica(), type: type).list(filters: filters)
            if !json, records.isEmpty, !claims, filters.isEmpty {
                print("no enrolments yet; enrol a member with `hearth mutual-aid enrol`")
            } else if !json, records.isEmpty, claims {
                print("no claims yet; record one with `hearth mutual-aid claim`")
            } else {
                RecordPrinter.list(records, type: type, json: json, filtered: !filters.isEmpty)
            }
        }
    }
}
