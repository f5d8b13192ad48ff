import ArgumentParser
import HearthCLI
import Replica
import SyncCore

/// `hearth member add|list|show|edit|remove|import`.
struct MemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member",
        abstract: "Add, list, show, edit, remove and import union members.",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self, Import.self]
    )

    /// Lets `--db` also come between the group and its subcommand.
    @OptionGroup var global: GlobalOptions

    static var type: RecordType { HearthSchema.member }
}

/// A member's optional fields as options; each one given is written, each one left out is not touched.
struct MemberFieldOptions: ParsableArguments {
    @Option(help: "Gender, as the member gives it.") var gender: String?
    @Option(help: "Phone number: digits, with spaces, + and - allowed.") var phone: String?
    @Option(help: "Employer (company or workplace).") var employer: String?
    @Option(help: "The service center the member belongs to.") var center: String?
    @Option(help: "local, or nonlocal for a non-local \"new citizen\" worker.") var residency: String?
    @Option(help: ArgumentHelp("The date the member joined, like 2026-01-28.", valueName: "date")) var joined: String?
    @Option(help: "Skills and certificates.") var skills: String?
    @Option(help: "Free notes.") var notes: String?

    var given: [FieldInput.Given] {
        [
            .init("gender", gender), .init("phone", phone), .init("employer", employer), .init("center", center),
            .init("residency", residency), .init("joinedOn", joined), .init("skills", skills), .init("notes", notes),
        ]
    }
}

extension MemberCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a member and print the new id.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "The member's name (required).") var name: String
        @OptionGroup var fields: MemberFieldOptions
        @Flag(help: "Print the new member as JSON instead of its id.") var json = false

        func run() throws {
            let values = try FieldInput.values(MemberCommand.type, [.init("name", name)] + fields.given)
            let member = try RecordOperations(replica: try global.openReplica(), type: MemberCommand.type).add(values)
            print(json ? member.json.rendered() : member.id)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List members, optionally of one center or matching a search.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only members of this center.") var center: String?
        @Option(help: "Only members whose name, phone, employer or skills contain this text.") var search: String?
        @Flag(help: "Print a JSON array of members.") var json = false

        func run() throws {
            let filters = try FieldInput.filters(MemberCommand.type, [.init("center", center)])
            let members = try RecordOperations(replica: try global.openReplica(), type: MemberCommand.type)
                .list(filters: filters, search: search)
            RecordPrinter.list(members, type: MemberCommand.type, json: json, filtered: center != nil || search != nil)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one member.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The member's id (see `hearth member list`).") var id: String
        @Flag(help: "Print the member as JSON.") var json = false

        func run() throws {
            let member = try RecordOperations(replica: try global.openReplica(), type: MemberCommand.type).show(id)
            RecordPrinter.record(member, json: json)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change some fields of a member.",
            discussion: "Only the options given are written; an empty value (--phone \"\") clears a field.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The member's id (see `hearth member list`).") var id: String
        @Option(help: "The member's name.") var name: String?
        @OptionGroup var fields: MemberFieldOptions
        @Flag(help: "Print the edited member as JSON.") var json = false

        var given: [FieldInput.Given] { [.init("name", name)] + fields.given }

        func validate() throws {
            guard given.contains(where: { $0.text != nil }) else {
                throw ValidationError("nothing to change: give at least one field option, such as --phone or --center")
            }
        }

        func run() throws {
            let values = try FieldInput.values(MemberCommand.type, given)
            let member = try RecordOperations(replica: try global.openReplica(), type: MemberCommand.type)
                .edit(id, values)
            RecordPrinter.edited(member, json: json)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a member (the deletion syncs to every replica).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The member's id (see `hearth member list`).") var id: String

        func run() throws {
            let removed = try RecordOperations(replica: try global.openReplica(), type: MemberCommand.type).remove(id)
            print("removed member \(removed)")
        }
    }
}

extension MemberCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import members from a CSV file exported from a spreadsheet, without duplicates: all rows, or none.",
            discussion: ImportOptions.discussion(
                .member, headers: "姓名, 性别, 电话/手机, 单位, 服务中心, 户籍 (本地/外地), 入会日期, 技能, 备注"))

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ImportOptions

        func run() throws {
            try options.run(as: .member, global: global)
        }
    }
}
