import Foundation
import HearthCLI
import Replica
import SyncCore
import Testing

/// Matching import rows with stored records, on a real replica in a temp directory.
@Suite struct RecordImportPlanTests {
    /// A fresh replica in its own temp directory, removed by `cleanUp()`.
    struct TempReplica {
        let directory: URL
        let replica: Replica

        init() throws {
            directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("hearth-import-plan-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            replica = try Replica.create(at: directory.appendingPathComponent("hearth.db").path, name: "沙头服务中心")
        }

        func cleanUp() {
            try? replica.close()
            try? FileManager.default.removeItem(at: directory)
        }

        @discardableResult
        func importing(_ text: String, as kind: ImportableType = .member) throws -> RecordImport.Plan {
            try RecordImport.prepare(data: Data(text.utf8), source: "file.csv", as: kind).apply(to: replica)
        }

        func refusal(_ text: String, as kind: ImportableType = .member) -> String {
            let error = #expect(throws: ReplicaError.self) { try importing(text, as: kind) }
            return error?.message ?? ""
        }

        func members() throws -> [RecordSnapshot] {
            try replica.read { reader in try reader.list(HearthSchema.member) }
        }
    }

    static let members = """
        姓名,手机,单位,服务中心,户籍,备注
        张伟,138 0000 0001,粤海建筑公司,沙头服务中心,外地,
        李娜,13800000002,,沙头服务中心,本地,
        王芳,,粤海建筑公司,沙头服务中心,外地,夜班
        """

    @Test func aMatchedMemberIsWrittenOnlyInTheFieldsThatDiffer() throws {
        let temp = try TempReplica()
        defer { temp.cleanUp() }
        #expect(try temp.importing(Self.members).additions.count == 3)
        let plan = try temp.importing(
            """
            姓名,电话,服务中心,户籍,备注
            李娜,138-0000-0002,,外地,周末可联系
            """)
        #expect(plan.updates.count == 1 && plan.additions.isEmpty && plan.unchanged == 0)
        let write = try #require(try temp.replica.read { reader in try reader.changeLog(limit: 1) }.first)
        #expect(write.fields == ["notes", "residency"])
        let li = try #require(try temp.members().first { $0["name"] == .text("李娜") })
        #expect(li["phone"] == .text("13800000002"), "a phone with the same digits is not rewritten")
        #expect(li["center"] == .text("沙头服务中心"), "an empty cell must not erase the stored center")
        #expect(li["residency"] == .text("nonlocal"))
    }

    @Test func aRowWithoutPhoneMatchesNameAndEmployer() throws {
        let temp = try TempReplica()
        defer { temp.cleanUp() }
        try temp.importing(Self.members)
        let plan = try temp.importing("姓名,单位,备注\n王芳,粤海建筑公司,夜班\n张伟,粤海建筑公司,\n王芳,别的公司,\n")
        #expect(plan.unchanged == 2, "王芳 and 张伟 at 粤海建筑公司 are stored (张伟 with a phone)")
        #expect(plan.additions.count == 1, "王芳 at another employer is someone else")
    }

    @Test func twoRowsWithOnePhoneNumberAreRefusedWithBothRows() throws {
        let temp = try TempReplica()
        defer { temp.cleanUp() }
        let message = temp.refusal("姓名,手机\n张伟,138 0000 0001\n李娜,13900000003\n张伟,+138-0000-0001\n")
        #expect(message.contains("row 2 and row 4 are one member (the same phone number)"))
        #expect(message.contains("nothing was imported"))
        #expect(!message.contains("张伟") && !message.contains("0001"))
        #expect(try temp.members().isEmpty)
    }

    @Test func aRowWithoutPhoneDuplicatingAnotherRowsNameAndEmployerIsRefused() throws {
        let temp = try TempReplica()
        defer { temp.cleanUp() }
        let message = temp.refusal("姓名,手机,单位\n张伟,13800000001,粤海建筑公司\n张伟,,粤海建筑公司\n")
        #expect(message.contains("row 2 and row 3 are one member (the same name and employer)"))
    }

    @Test func aPhoneSharedByTwoStoredMembersIsRefusedNamingTheirIds() throws {
        let temp = try TempReplica()
        defer { temp.cleanUp() }
        try temp.importing("姓名,手机\n张伟,13800000001\n")
        try temp.replica.write { tx in
            try tx.insert(HearthSchema.member, ["name": .text("张伟"), "phone": .text("138 0000 0001")])
        }
        let ids = try temp.members().map(\.id)
        let before = try temp.replica.read { reader in try reader.digest() }
        let message = temp.refusal("姓名,手机,备注\n李娜,13900000003,\n张伟,13800000001,夜班\n")
        #expect(message.contains("row 3: its phone number fits 2 stored members"))
        for id in ids { #expect(message.contains(id)) }
        #expect(!message.contains("张伟") && !message.contains("13800000001"))
        #expect(try temp.replica.read { reader in try reader.digest() } == before, "the new row must not be added")
    }

    @Test func twoRowsMatchingOneStoredMemberAreRefused() throws {
        let temp = try TempReplica()
        defer { temp.cleanUp() }
        try temp.importing(Self.members)
        let id = try #require(try temp.members().first { $0["name"] == .text("张伟") }).id
        let message = temp.refusal("姓名,手机,单位\n张伟,13800000001,\n李娜,,粤海建筑公司\n张伟,,粤海建筑公司\n")
        #expect(message.contains("row 2 and row 4 both match member \(id)"))
    }

    @Test func activitiesMatchByTitleStartDayAndCenter() throws {
        let temp = try TempReplica()
        defer { temp.cleanUp() }
        let first = "标题,类型,开始时间,服务中心,名额\n焊工技能比赛,竞赛,2026/3/8 9:00,沙头服务中心,30\n普法讲座,普法,2026-03-09,,\n"
        #expect(try temp.importing(first, as: .activity).additions.count == 2)
        let plan = try temp.importing(
            "标题,类型,开始时间,服务中心,名额\n焊工技能比赛,竞赛,2026-03-08T14:00,沙头服务中心,30\n"
                + "焊工技能比赛,竞赛,2026-03-08T09:00,体育公园服务中心,\n普法讲座,法律援助,2026年3月9日,,\n",
            as: .activity)
        #expect(plan.updates.map(\.changes) == [["startsAt": .text("2026-03-08T14:00")]])
        #expect(plan.additions.count == 1, "the same title at another center is another activity")
        #expect(plan.unchanged == 1)
    }
}
