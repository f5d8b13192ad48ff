import Foundation
import Testing

/// Bad input through the built `hearth` binary: exit 1, a message naming the problem on stderr,
/// nothing on stdout, and nothing changed in the replica.
@Suite(.oneProcessTestAtATime) struct CLIRefusalTests {
    /// A replica with one member, one activity of capacity 1 and one registration.
    struct Fixture {
        let hearth: HearthProcess
        let zhang: String
        let li: String
        let contest: String

        init() throws {
            hearth = try HearthProcess()
            try hearth.succeed(["init", "--name", "沙头服务中心"])
            zhang = try hearth.succeed(["member", "add", "--name", "张伟", "--phone", "13800138000"]).line
            li = try hearth.succeed(["member", "add", "--name", "李秀英"]).line
            contest = try hearth.succeed([
                "activity", "add", "--title", "焊工技能比赛", "--kind", "contest", "--starts", "2026-03-01T09:00",
                "--ends", "2026-03-01T17:00", "--capacity", "1",
            ]).line
            try hearth.succeed(["register", zhang, contest])
        }

        /// Runs each case, expecting a refusal that names the problem and leaves the replica as it was.
        func expectRefusals(
            _ cases: [(arguments: [String], message: String)], sourceLocation: SourceLocation = #_sourceLocation
        )
            throws
        {
            let before = try hearth.statusJSON()
            for (arguments, message) in cases {
                let result = try hearth.run(arguments)
                let command = "hearth " + arguments.joined(separator: " ")
                #expect(result.status == 1, "\(command) exited \(result.status)", sourceLocation: sourceLocation)
                #expect(result.stdout.isEmpty, "\(command) printed \(result.stdout)", sourceLocation: sourceLocation)
                #expect(
                    result.stderr.hasPrefix("error: "), "\(command): \(result.stderr)", sourceLocation: sourceLocation)
                #expect(
                    result.stderr.contains(message), "\(command): expected '\(message)' in \(result.stderr)",
                    sourceLocation: sourceLocation)
                #expect(
                    try hearth.statusJSON() == before, "\(command) changed the replica", sourceLocation: sourceLocation)
            }
        }
    }

    let unknown = "0f8fad5b-d9cb-469f-a165-70867728950e"

    @Test func badMemberInputIsRefusedAndChangesNothing() throws {
        let fixture = try Fixture()
        defer { fixture.hearth.cleanUp() }
        try fixture.expectRefusals([
            (["member", "add", "--name", "王芳", "--phone", "138-abc-0000"], "phone must be a phone number"),
            (["member", "add", "--name", "王芳", "--residency", "mars"], "residency must be one of local, nonlocal"),
            (["member", "add", "--name", "王芳", "--joined", "2026-02-30"], "joinedOn must be a date"),
            (["member", "add", "--name", "  "], "name must not be empty"),
            (["member", "show", unknown], "no member with id \(unknown)"),
            (["member", "show", "张伟"], "is not a member id"),
            (["member", "edit", unknown, "--phone", "13900000000"], "no member with id"),
            (["member", "edit", fixture.zhang, "--phone", "call me"], "phone must be a phone number"),
            (["member", "edit", fixture.zhang, "--name", ""], "name must not be empty"),
            (["member", "remove", unknown], "no member with id"),
            (["member", "show", fixture.contest], "no member with id"),
        ])
    }

    @Test func badActivityInputIsRefusedAndChangesNothing() throws {
        let fixture = try Fixture()
        defer { fixture.hearth.cleanUp() }
        let add = ["activity", "add", "--title", "拔河比赛", "--kind", "culture"]
        try fixture.expectRefusals([
            (
                add + ["--starts", "2026-05-01T10:00", "--ends", "2026-05-01T09:00"],
                "endsAt (2026-05-01T09:00) is before startsAt (2026-05-01T10:00)"
            ),
            (
                ["activity", "add", "--title", "拔河比赛", "--kind", "party", "--starts", "2026-05-01"],
                "kind must be one of"
            ),
            (add + ["--starts", "May 1"], "startsAt must be an ISO 8601"),
            (add + ["--starts", "2026-05-01", "--capacity", "lots"], "capacity must be a whole number"),
            (add + ["--starts", "2026-05-01", "--capacity", "-1"], "capacity must be a whole number"),
            (["activity", "edit", fixture.contest, "--ends", "2026-02-28"], "is before startsAt"),
            (["activity", "edit", fixture.contest, "--starts", "2026-03-02"], "is before startsAt"),
            (["activity", "list", "--kind", "party"], "kind must be one of"),
            (["activity", "show", unknown], "no activity with id"),
            (["activity", "remove", "not-an-id"], "is not an activity id"),
        ])
    }

    @Test func badRosterOperationsAreRefusedAndChangeNothing() throws {
        let fixture = try Fixture()
        defer { fixture.hearth.cleanUp() }
        try fixture.expectRefusals([
            (["register", fixture.zhang, fixture.contest], "already registered"),
            (["register", fixture.li, fixture.contest], "is full: 1 of 1 places are taken"),
            (["checkin", fixture.li, fixture.contest], "is not registered for activity"),
            (["cancel", fixture.li, fixture.contest], "is not registered for activity"),
            (["register", unknown, fixture.contest], "no member with id \(unknown)"),
            (["register", fixture.zhang, unknown], "no activity with id \(unknown)"),
            (["register", "张伟", fixture.contest], "is not a member id"),
            (["attendance", unknown], "no activity with id"),
            (["attendance", "焊工技能比赛"], "is not an activity id"),
        ])
        try fixture.hearth.succeed(["checkin", fixture.zhang, fixture.contest])
        try fixture.expectRefusals([
            (["checkin", fixture.zhang, fixture.contest], "already checked in")
        ])
        try fixture.hearth.succeed(["cancel", fixture.zhang, fixture.contest])
        try fixture.expectRefusals([
            (["cancel", fixture.zhang, fixture.contest], "already cancelled"),
            (["checkin", fixture.zhang, fixture.contest], "was cancelled"),
        ])
    }

    @Test func errorsDoNotQuotePersonalData() throws {
        let fixture = try Fixture()
        defer { fixture.hearth.cleanUp() }
        let result = try fixture.hearth.run(["member", "add", "--name", "王芳", "--phone", "138-abc-0000"])
        #expect(result.status == 1)
        #expect(!result.stderr.contains("王芳"))
        #expect(!result.stderr.contains("138-abc-0000"))
    }

    @Test func commandsWithoutAReplicaSayToRunInit() throws {
        let hearth = try HearthProcess()
        defer { hearth.cleanUp() }
        for arguments in [["status"], ["member", "list", "--json"], ["member", "add", "--name", "张伟"]] {
            let result = try hearth.run(arguments)
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("run `hearth init --name NAME` first"))
        }
        #expect(!FileManager.default.fileExists(atPath: hearth.database.path))
    }

    @Test(arguments: [
        ["member", "add"],
        ["member", "add", "--name", "张伟", "--bogus", "x"],
        ["member", "edit", "0f8fad5b-d9cb-469f-a165-70867728950e"],
        ["activity", "edit", "0f8fad5b-d9cb-469f-a165-70867728950e"],
        ["register", "only-one-argument"],
        ["frobnicate"],
        ["status", "--json", "extra"],
    ])
    func usageErrorsExitWithTwo(arguments: [String]) throws {
        let fixture = try Fixture()
        defer { fixture.hearth.cleanUp() }
        let before = try fixture.hearth.statusJSON()
        let result = try fixture.hearth.run(arguments)
        #expect(result.status == 2, "\(arguments) exited \(result.status): \(result.stderr)")
        #expect(result.stderr.hasPrefix("error: "))
        #expect(result.stdout.isEmpty)
        #expect(try fixture.hearth.statusJSON() == before)
    }
}
