import ArgumentParser
import Foundation
import HearthCLI
import Replica
import SyncCore

/// `hearth case add|list|show|edit|close`: legal-aid and assistance cases.
struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Add, list, show, edit and close legal-aid and assistance cases.",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Close.self]
    )

    /// Lets `--db` also come between the group and its subcommand.
    @OptionGroup var global: GlobalOptions

    static var type: RecordType { HearthSchema.assistanceCase }
    static let kindsHelp = HearthSchema.caseKinds.joined(separator: ", ")
}

/// A case's optional fields as options; each one given is written, each one left out is not touched.
struct CaseFieldOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The member helped, if there is one (an id).", valueName: "id")) var member: String?
    @Option(help: "The enterprise concerned.") var enterprise: String?
    @Option(help: "The service center handling the case.") var center: String?
    @Option(help: "open, closed or withdrawn.") var status: String?
    @Option(help: ArgumentHelp("When it was closed, like 2026-03-01.", valueName: "date")) var closed: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("How many workers it involves.", valueName: "n"))
    var workers: String?
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("The amount at stake in yuan, up to 2 decimals (1520000.50).", valueName: "yuan"))
    var amount: String?
    @Option(help: "The outcome.") var outcome: String?
    @Option(help: "Free notes.") var notes: String?

    var anyGiven: Bool {
        [member, enterprise, center, status, closed, workers, amount, outcome, notes].contains { $0 != nil }
    }

    func given() throws -> [FieldInput.Given] {
        [
            .init("memberId", member), .init("enterprise", enterprise), .init("center", center),
            .init("status", status), .init("closedOn", closed), .init("workers", workers),
            .init("amountFen", try Yuan.fenText(amount, option: "amount")), .init("outcome", outcome),
            .init("notes", notes),
        ]
    }
}

extension CaseCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a case and print the new id.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "One of \(CaseCommand.kindsHelp).") var kind: String
        @Option(help: ArgumentHelp("When it was opened, like 2026-01-28 (default: today).", valueName: "date"))
        var opened: String?
        @OptionGroup var fields: CaseFieldOptions
        @Flag(help: "Print the new case as JSON instead of its id.") var json = false

        func run() throws {
            var given: [FieldInput.Given] = [.init("kind", kind), .init("openedOn", opened ?? CaseCommand.today)]
            if fields.status == nil { given.append(.init("status", "open")) }
            let values = try FieldInput.values(CaseCommand.type, given + fields.given())
            let record = try RecordOperations(replica: try global.openReplica(), type: CaseCommand.type).add(values)
            print(json ? record.json.rendered() : record.id)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List cases, optionally of one center, kind or status, or matching a search.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only cases of this center.") var center: String?
        @Option(help: "Only cases of this kind (\(CaseCommand.kindsHelp)).") var kind: String?
        @Option(help: "Only cases with this status (open, closed, withdrawn).") var status: String?
        @Option(help: "Only cases whose enterprise, outcome or notes contain this text.") var search: String?
        @Flag(help: "Print a JSON array of cases.") var json = false

        func run() throws {
            let filters = try FieldInput.filters(
                CaseCommand.type, [.init("center", center), .init("kind", kind), .init("status", status)])
            let records = try RecordOperations(replica: try global.openReplica(), type: CaseCommand.type)
                .list(filters: filters, search: search)
            RecordPrinter.list(
                records, type: CaseCommand.type, json: json,
                filtered: center != nil || kind != nil || status != nil || search != nil)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one case.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The case's id (see `hearth case list`).") var id: String
        @Flag(help: "Print the case as JSON.") var json = false

        func run() throws {
            let record = try RecordOperations(replica: try global.openReplica(), type: CaseCommand.type).show(id)
            RecordPrinter.record(record, json: json)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change some fields of a case.",
            discussion: "Only the options given are written; an empty value (--amount \"\") clears a field.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The case's id (see `hearth case list`).") var id: String
        @Option(help: "One of \(CaseCommand.kindsHelp).") var kind: String?
        @Option(help: ArgumentHelp("When it was opened.", valueName: "date")) var opened: String?
        @OptionGroup var fields: CaseFieldOptions
        @Flag(help: "Print the edited case as JSON.") var json = false

        func validate() throws {
            guard kind != nil || opened != nil || fields.anyGiven else {
                throw ValidationError("nothing to change: give at least one field option, such as --status or --amount")
            }
        }

        func run() throws {
            let values = try FieldInput.values(
                CaseCommand.type, [.init("kind", kind), .init("openedOn", opened)] + fields.given())
            let record = try RecordOperations(replica: try global.openReplica(), type: CaseCommand.type)
                .edit(id, values)
            RecordPrinter.edited(record, json: json)
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a case: sets its status to closed and its closed date (an ordinary edit).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The case's id (see `hearth case list`).") var id: String
        @Option(help: ArgumentHelp("When it was closed (default: today).", valueName: "date")) var on: String?
        @Option(help: "The outcome.") var outcome: String?
        @Flag(help: "Print the closed case as JSON.") var json = false

        func run() throws {
            let values = try FieldInput.values(
                CaseCommand.type,
                [.init("status", "closed"), .init("closedOn", on ?? CaseCommand.today), .init("outcome", outcome)])
            let record = try RecordOperations(replica: try global.openReplica(), type: CaseCommand.type)
                .edit(id, values)
            print(json ? record.json.rendered() : "closed case \(record.id)")
        }
    }

    /// Today's date where the command runs, like 2026-01-28.
    static var today: String { String(LocalTimestamp.string(for: Date()).prefix(10)) }
}
