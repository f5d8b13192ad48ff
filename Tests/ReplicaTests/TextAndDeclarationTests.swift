import Foundation
import Replica
import SyncCore
import Testing

@Suite("Chinese text and the Hearth declarations")
struct TextAndDeclarationTests {
    let member = HearthSchema.member
    let activity = HearthSchema.activity

    /// Names are short, notes may be long; neither may be unbounded. The refusal changes nothing.
    @Test func localWritesAreHeldToEachFieldsDeclaredLimit() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let notes = String(repeating: "备注", count: 2_700)
            let member = try replica.write { tx in
                try tx.insert(self.member, ["name": .text("欧阳娜娜"), "notes": .text(notes)])
            }
            #expect(try replica.record(self.member, member.id)?.value("notes") == .text(notes))
            let digest = try replica.digest()
            for (field, text) in [("name", String(repeating: "娜", count: 342)), ("notes", notes + notes)] {
                let error = #expect(throws: ReplicaError.self, "\(field)") {
                    try replica.write { tx in try tx.update(self.member, id: member.id, [field: .text(text)]) }
                }
                #expect(error?.code == .invalidInput)
                #expect(error?.message.contains("\(field) of a member may be at most") == true)
                #expect(error?.message.contains("娜") == false)
            }
            #expect(try replica.digest() == digest)
            let longTitle = String(repeating: "技", count: 400)
            #expect(throws: ReplicaError.self) {
                try replica.write { tx in
                    try tx.insert(
                        activity,
                        ["title": .text(longTitle), "kind": .text("contest"), "startsAt": .text("2026-01-28")])
                }
            }
        }
    }

    @Test func chineseNamesRoundTripThroughStorageListingAndSearch() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let values: [String: FieldValue] = [
                "name": .text("欧阳娜娜"), "gender": .text("女"), "employer": .text("深圳市宝安区某某建筑工程有限公司"),
                "center": .text("沙头服务中心"), "residency": .text("nonlocal"), "skills": .text("塔吊司机；焊工（二级）"),
                "notes": .text("春节返乡：湖南→广东\n第二行 𠀀 👷‍♀️ e\u{301}"), "phone": .text("+86 138 0013 8000"),
            ]
            let state = try replica.write { tx in try tx.insert(member, values) }
            try replica.close()
            let reopened = scratch.track(try Replica.open(at: replica.path))
            let stored = try #require(try reopened.record(member, state.id))
            #expect(stored.shownValues == values)
            let listed = try reopened.read { try $0.list(member, search: "娜娜") }
            #expect(listed.map(\.id) == [state.id])
            #expect(listed.first?["notes"] == values["notes"])
            #expect(try reopened.read { try $0.list(member, search: "焊工") }.count == 1)
            #expect(try reopened.read { try $0.list(member, search: "欧阳修") }.isEmpty)
            #expect(try reopened.read { try $0.list(member, equal: ["center": .text("沙头服务中心")]) }.count == 1)
            #expect(try reopened.read { try $0.nodeName() } == "沙头服务中心")
        }
    }

    @Test func searchTreatsWildcardsLiterally() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            try replica.write { tx in
                try tx.insert(member, ["name": .text("张三"), "notes": .text("无")])
                try tx.insert(member, ["name": .text("100%_达标")])
            }
            #expect(try replica.read { try $0.list(member, search: "%") }.map { $0["name"] } == [.text("100%_达标")])
            #expect(try replica.read { try $0.list(member, search: "_") }.count == 1)
        }
    }

    @Test func listingIsSortedByLabelAndLeavesOutDeletedRecords() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let ids = try replica.write { tx in
                try ["王五", "张三", "李四"].map { try tx.insert(member, ["name": .text($0)]).id }
            }
            try replica.write { tx in try tx.delete(member, id: ids[0]) }
            let names = try replica.read { try $0.list(member) }.map { $0["name"] }
            #expect(names == [.text("张三"), .text("李四")].sorted { $0.description < $1.description })
            #expect(try replica.read { try $0.count(member) } == 2)
            #expect(try replica.read { try $0.record(member, id: ids[0]) }?.isDeleted == true)
            let gone = #expect(throws: ReplicaError.self) {
                try replica.read { try $0.requireLive(member, id: ids[0]) }
            }
            #expect(gone?.code == .notFound)
        }
    }

    /// Text with a NUL character (a mis-decoded spreadsheet cell) must read back as written,
    /// or be refused; truncated on read it would no longer match its hash.
    @Test func textWithUnusualCharactersReadsBackAsWritten() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let notes = "前\u{0}后"
            var written: RecordState?
            do {
                written = try replica.write { tx in try tx.insert(member, ["name": .text("张三"), "notes": .text(notes)])
                }
            } catch let error as ReplicaError {
                #expect(error.code == .invalidInput)
            }
            if let written {
                #expect(try replica.record(member, written.id)?.value("notes") == .text(notes))
                #expect(try replica.read { try $0.digestOfLoadedStates() } == replica.digest())
            }
        }
    }

    @Test func hearthPhoneRulesMatchTheBrief() throws {
        #expect(try member.parse("phone", text: "138 0013-8000") == .text("138 0013-8000"))
        #expect(try member.parse("phone", text: "+86 13800138000") == .text("+86 13800138000"))
        for bad in ["138O0138000", "电话13800138000", "138/0013", "12"] {
            #expect(throws: RecordValidationError.self, "\(bad)") { try member.parse("phone", text: bad) }
        }
    }

    @Test func hearthActivityKindsAndResidencyAreChoices() throws {
        for kind in HearthSchema.activityKinds {
            #expect(try activity.parse("kind", text: kind.uppercased()) == .text(kind))
        }
        #expect(throws: RecordValidationError.self) { try activity.parse("kind", text: "party") }
        #expect(try member.parse("residency", text: "NONLOCAL") == .text("nonlocal"))
        #expect(throws: RecordValidationError.self) { try member.parse("residency", text: "外地") }
        #expect(try member.parse("joinedOn", text: "2024-02-29") == .text("2024-02-29"))
        #expect(throws: RecordValidationError.self) { try member.parse("joinedOn", text: "2026-02-30") }
    }

    @Test func activityNeedsTitleKindAndStartAndAnEndNotBeforeIt() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let base: [String: FieldValue] = [
                "title": .text("返乡服务台"), "kind": .text("assistance"), "startsAt": .text("2026-02-10T08:00"),
                "endsAt": .text("2026-02-14T18:00"), "capacity": .integer(260), "location": .text("汽车站"),
            ]
            let created = try replica.write { tx in try tx.insert(activity, base) }
            #expect(try replica.record(activity, created.id)?.shownValues == base)
            for field in ["title", "kind", "startsAt"] {
                var values = base
                values[field] = nil
                let error = #expect(throws: ReplicaError.self, "\(field)") {
                    try replica.write { tx in try tx.insert(activity, values) }
                }
                #expect(error?.message.contains(field) == true)
            }
            let endsEarly = #expect(throws: ReplicaError.self) {
                try replica.write { tx in try tx.update(activity, id: created.id, ["endsAt": .text("2026-02-09T18:00")])
                }
            }
            #expect(endsEarly?.code == .invalidInput)
            #expect(try activity.parse("capacity", text: "0") == .integer(0))
            #expect(throws: RecordValidationError.self) { try activity.parse("capacity", text: "-5") }
        }
    }

    /// Two `Replica` objects on one file (a long-running sync and a CLI command) must each read
    /// records that mention nodes the other one learned about.
    @Test func secondReplicaObjectOnTheSameFileReadsRecordsFromNewlyLearnedNodes() throws {
        try withScratch { scratch in
            let first = try scratch.replica("沙头服务中心")
            let own = try first.write { tx in try tx.insert(member, ["name": .text("李四")]) }
            let second = scratch.track(try Replica.open(at: first.path))
            #expect(try second.record(member, own.id) == own)  // warms the second object's caches
            let other = try scratch.replica("志愿者-2")
            let state = try other.write { tx in try tx.insert(member, ["name": .text("张三")]) }
            try other.sendPending(to: first)
            #expect(try first.record(member, state.id) == state)
            #expect(try second.record(member, state.id) == state)
        }
    }
}
