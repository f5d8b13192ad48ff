import ArgumentParser
import Foundation
import HearthCLI
import Replica

/// The member and activity a roster command is about.
struct ParticipantArguments: ParsableArguments {
    @Argument(help: "The member's id (see `hearth member list`) or phone number.") var member: String
    @Argument(help: "The activity's id (see `hearth activity list`).") var activity: String
}

/// `hearth register MEMBER ACTIVITY`.
struct RegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a member for an activity (refused when already registered or the activity is full).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var participant: ParticipantArguments
    @Flag(help: "Print the participation as JSON.") var json = false

    func run() throws {
        let outcome = try RosterOperations(replica: try global.openReplica())
            .register(member: participant.member, activity: participant.activity)
        print(json ? outcome.json.rendered() : "registered \(outcome.memberName) for \(outcome.activityTitle)")
    }
}

/// `hearth checkin MEMBER ACTIVITY`, `hearth checkin --walk-in --name N --phone P ACTIVITY`.
struct CheckInCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkin",
        abstract: "Check a registered member in to an activity, or add, register and check in a walk-in at once.",
        usage: """
            hearth checkin MEMBER ACTIVITY [--json]
            hearth checkin --walk-in --name NAME --phone PHONE [--employer E] [--center C] ACTIVITY [--json]
            """,
        discussion: """
            MEMBER is a member id or a phone number (compared by digits: 138 0000 0000 = 13800000000). \
            The check-in is stamped with the current local time. A member must be registered first. \
            --walk-in is for a person who came without registering: they are added as a member, \
            registered and checked in in one transaction; if their phone number is already a member's, \
            that member is registered and checked in instead of adding a second one.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("MEMBER ACTIVITY, or ACTIVITY alone with --walk-in.", valueName: "member-or-activity"))
    var references: [String] = []
    @Flag(help: "Check in a person who came without registering (needs --name and --phone).") var walkIn = false
    @Option(help: "With --walk-in: the person's name.") var name: String?
    @Option(help: "With --walk-in: the person's phone number.") var phone: String?
    @Option(help: "With --walk-in: the person's employer, for a new member.") var employer: String?
    @Option(help: "With --walk-in: the person's service center, for a new member.") var center: String?
    @Flag(help: "Print the participation as JSON.") var json = false

    func validate() throws {
        if walkIn {
            guard references.count == 1 else {
                throw ValidationError("with --walk-in, give only the activity id: hearth checkin --walk-in … ACTIVITY")
            }
            guard name != nil, phone != nil else { throw ValidationError("--walk-in needs --name and --phone") }
        } else {
            guard references.count == 2 else {
                throw ValidationError(
                    "give the member (id or phone number) and the activity id: hearth checkin MEMBER ACTIVITY")
            }
            guard name == nil, phone == nil, employer == nil, center == nil else {
                throw ValidationError("--name, --phone, --employer and --center go with --walk-in")
            }
        }
    }

    func run() throws {
        let operations = RosterOperations(replica: try global.openReplica())
        let now = LocalTimestamp.string(for: Date())
        guard walkIn else {
            let outcome = try operations.checkIn(member: references[0], activity: references[1], at: now)
            let time = outcome.participation["checkedInAt"]
            print(
                json
                    ? outcome.json.rendered()
                    : "checked in \(outcome.memberName) to \(outcome.activityTitle) at \(time)")
            return
        }
        let person = try FieldInput.values(
            HearthSchema.member,
            [.init("name", name), .init("phone", phone), .init("employer", employer), .init("center", center)])
        let walkIn = try operations.checkInWalkIn(person, activity: references[0], at: now)
        guard !json else { return print(walkIn.json.rendered()) }
        let outcome = walkIn.outcome
        if walkIn.memberAdded {
            print("added member \(walkIn.member.id) (\(outcome.memberName))")
        } else {
            print("that phone number is member \(walkIn.member.id)'s (\(outcome.memberName)); no new member was added")
        }
        let action = walkIn.registered ? "registered and checked in" : "checked in"
        print("\(action) \(outcome.memberName) to \(outcome.activityTitle) at \(outcome.participation["checkedInAt"])")
    }
}

/// `hearth cancel MEMBER ACTIVITY`.
struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a member's registration for an activity.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var participant: ParticipantArguments
    @Flag(help: "Print the participation as JSON.") var json = false

    func run() throws {
        let outcome = try RosterOperations(replica: try global.openReplica())
            .cancel(member: participant.member, activity: participant.activity)
        print(
            json
                ? outcome.json.rendered()
                : "cancelled the registration of \(outcome.memberName) for \(outcome.activityTitle)")
    }
}

/// `hearth attendance ACTIVITY`.
struct AttendanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance",
        abstract: "Show who registered for an activity and who came, with the counts.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The activity's id (see `hearth activity list`).") var activity: String
    @Flag(help: "Print the attendance as JSON.") var json = false

    func run() throws {
        let attendance = try RosterOperations(replica: try global.openReplica()).attendance(activity: activity)
        print(json ? attendance.json.rendered() : attendance.text)
    }
}
