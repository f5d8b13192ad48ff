import ArgumentParser
import Foundation
import HearthCLI
import Replica

/// The member and activity a roster command is about.
struct ParticipantArguments: ParsableArguments {
    @Argument(help: "The member's id (see `hearth member list`).") var member: String
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

/// `hearth checkin MEMBER ACTIVITY`.
struct CheckInCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkin",
        abstract: "Check a registered member in to an activity, stamped with the current local time.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var participant: ParticipantArguments
    @Flag(help: "Print the participation as JSON.") var json = false

    func run() throws {
        let outcome = try RosterOperations(replica: try global.openReplica())
            .checkIn(member: participant.member, activity: participant.activity, at: LocalTimestamp.string(for: Date()))
        let time = outcome.participation["checkedInAt"]
        print(
            json ? outcome.json.rendered() : "checked in \(outcome.memberName) to \(outcome.activityTitle) at \(time)")
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
