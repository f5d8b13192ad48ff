import HearthTestSupport
import Testing

/// The crash tests' ledger finds each kind of damage it exists to find, planted by hand.
@Suite struct CrashLedgerTests {
    /// A ledger with one added member (exit 0), one killed add, and two imports: one exited 0, one killed.
    func ledger() -> (CrashLedger, members: [[String: Any]]) {
        var roster = CrashRoster(random: SeededGenerator(seed: 7))
        var ledger = CrashLedger()
        let added = roster.member()
        let killed = roster.member()
        let imported = roster.members(3)
        let killedImport = roster.members(3)
        ledger.added(added, id: "id-added", .committed)
        ledger.added(killed, id: nil, .uncertain)
        ledger.imported("a.csv", imported, .committed)
        ledger.imported("b.csv", killedImport, .uncertain)
        ledger.edited(member: "id-added", notes: "备注")
        var members: [[String: Any]] = [["id": "id-added", "name": added.name, "phone": added.phone, "notes": "备注"]]
        for (index, member) in imported.enumerated() {
            members.append(["id": "id-a\(index)", "name": member.name, "phone": member.phone])
        }
        return (ledger, members)
    }

    @Test func aCompleteReplicaHasNoProblems() {
        let (ledger, members) = ledger()
        #expect(ledger.problems(members: members).isEmpty)
    }

    @Test func lostDoubledPartialAlteredAndInventedRecordsAreEachReported() {
        let (ledger, members) = ledger()
        let lost = members.filter { $0["id"] as? String != "id-added" }
        #expect(ledger.problems(members: lost).contains { $0.contains("is lost") })
        let doubled = members + [members[1].merging(["id": "other"]) { $1 }]
        #expect(ledger.problems(members: doubled).contains { $0.contains("is there 2 times") })
        let partial = members.filter { $0["id"] as? String != "id-a1" }
        #expect(ledger.problems(members: partial).contains { $0.contains("is partial: 2 of 3 rows") })
        let allLost = members.filter { !($0["id"] as? String ?? "").hasPrefix("id-a") }
        #expect(ledger.problems(members: allLost).contains { $0.contains("all 3 rows are lost") })
        let renamed = [members[0].merging(["name": "王五"]) { $1 }] + members.dropFirst()
        #expect(ledger.problems(members: renamed).contains { $0.contains("another name") })
        let unedited = [members[0].merging(["notes": "旧备注"]) { $1 }] + members.dropFirst()
        #expect(ledger.problems(members: unedited).contains { $0.contains("lost the edit") })
        let invented = members + [["id": "x", "name": "赵六", "phone": "13000000000"]]
        #expect(ledger.problems(members: invented).contains { $0.contains("no command wrote") })
    }

    @Test func aKilledWriteMayBeThereOnceOrNotAtAll() {
        let (ledger, members) = ledger()
        var roster = CrashRoster(random: SeededGenerator(seed: 7))
        let killed = roster.members(2)[1]
        let withKilled = members + [["id": "k", "name": killed.name, "phone": killed.phone]]
        #expect(ledger.problems(members: withKilled).isEmpty)
        #expect(!ledger.problems(members: withKilled + [withKilled.last!]).isEmpty)
    }
}
