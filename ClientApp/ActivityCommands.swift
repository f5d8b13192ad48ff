import ArgumentParser
import HearthCLI
import Replica
import SyncCore

/// `hearth activity add|list|show|edit|remove|import`.
struct ActivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity",
        abstract: "Add, list, show, edit, remove and import activities (contests, trainings, legal aid, holidays…).",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self, Import.self]
    )

    /// Lets `--db` also come between the group and its subcommand.
    @OptionGroup var global: GlobalOptions

    static var type: RecordType { HearthSchema.activity }
    static let kindsHelp = HearthSchema.activityKinds.joined(separator: ", ")
}

/// An activity's optional fields as options; each one given is written, each one left out is not touched.
struct ActivityFieldOptions: ParsableArguments {
    @Option(help: "The service center running the activity.") var center: String?
    @Option(help: "Where it takes place.") var location: String?
    @Option(help: ArgumentHelp("When it ends (ISO 8601, not before --starts).", valueName: "date")) var ends: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("How many people may register.", valueName: "n"))
    var capacity: String?
    @Option(help: "What the activity is about.") var description: String?

    var given: [FieldInput.Given] {
        [
            .init("center", center), .init("location", location), .init("endsAt", ends),
            .init("capacity", capacity), .init("description", description),
        ]
    }
}

extension ActivityCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an activity and print the new id.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "The activity's title (required).") var title: String
        @Option(help: "One of \(ActivityCommand.kindsHelp).") var kind: String
        @Option(help: ArgumentHelp("When it starts: 2026-01-28 or 2026-01-28T09:30 (ISO 8601).", valueName: "date"))
        var starts: String
        @OptionGroup var fields: ActivityFieldOptions
        @Flag(help: "Print the new activity as JSON instead of its id.") var json = false

        func run() throws {
            let values = try FieldInput.values(
                ActivityCommand.type,
                [.init("title", title), .init("kind", kind), .init("startsAt", starts)] + fields.given)
            let activity = try RecordOperations(replica: try global.openReplica(), type: ActivityCommand.type).add(
                values)
            print(json ? activity.json.rendered() : activity.id)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List activities, optionally of one center or kind, or matching a search.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only activities of this center.") var center: String?
        @Option(help: "Only activities of this kind (\(ActivityCommand.kindsHelp)).") var kind: String?
        @Option(help: "Only activities whose title, location or description contain this text.") var search: String?
        @Flag(help: "Print a JSON array of activities.") var json = false

        func run() throws {
            let filters = try FieldInput.filters(ActivityCommand.type, [.init("center", center), .init("kind", kind)])
            let activities = try RecordOperations(replica: try global.openReplica(), type: ActivityCommand.type)
                .list(filters: filters, search: search)
            RecordPrinter.list(
                activities, type: ActivityCommand.type, json: json,
                filtered: center != nil || kind != nil || search != nil)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one activity.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The activity's id (see `hearth activity list`).") var id: String
        @Flag(help: "Print the activity as JSON.") var json = false

        func run() throws {
            let activity = try RecordOperations(replica: try global.openReplica(), type: ActivityCommand.type).show(id)
            RecordPrinter.record(activity, json: json)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change some fields of an activity.",
            discussion: "Only the options given are written; an empty value (--capacity \"\") clears a field.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The activity's id (see `hearth activity list`).") var id: String
        @Option(help: "The activity's title.") var title: String?
        @Option(help: "One of \(ActivityCommand.kindsHelp).") var kind: String?
        @Option(help: ArgumentHelp("When it starts (ISO 8601).", valueName: "date")) var starts: String?
        @OptionGroup var fields: ActivityFieldOptions
        @Flag(help: "Print the edited activity as JSON.") var json = false

        var given: [FieldInput.Given] {
            [.init("title", title), .init("kind", kind), .init("startsAt", starts)] + fields.given
        }

        func validate() throws {
            guard given.contains(where: { $0.text != nil }) else {
                throw ValidationError(
                    "nothing to change: give at least one field option, such as --title or --capacity")
            }
        }

        func run() throws {
            let values = try FieldInput.values(ActivityCommand.type, given)
            let activity = try RecordOperations(replica: try global.openReplica(), type: ActivityCommand.type)
                .edit(id, values)
            RecordPrinter.edited(activity, json: json)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an activity (the deletion syncs to every replica).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The activity's id (see `hearth activity list`).") var id: String

        func run() throws {
            let removed = try RecordOperations(replica: try global.openReplica(), type: ActivityCommand.type)
                .remove(id)
            print("removed activity \(removed)")
        }
    }
}

extension ActivityCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import activities from a CSV file exported from a spreadsheet, without duplicates: all rows, or none.",
            discussion: ImportOptions.discussion(
                .activity,
                headers: "标题/活动名称, 类型/活动类型 (竞赛, 培训, 法律援助, 节日, 文化, 帮扶, 其他), "
                    + "开始时间/开始日期, 结束时间/结束日期, 服务中心, 地点, 人数上限/名额, 说明/备注"))

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ImportOptions

        func run() throws {
            try options.run(as: .activity, global: global)
        }
    }
}
