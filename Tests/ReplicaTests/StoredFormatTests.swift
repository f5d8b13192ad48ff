import Foundation
import GRDB
import Replica
import SyncCore
import Testing

/// How states are stored: every part of a state reads back exactly, older layouts still open.
@Suite("Stored format")
struct StoredFormatTests {
    let member = HearthSchema.member
    let activity = HearthSchema.activity
    let x = NodeID.fixed(1)
    let y = NodeID.fixed(2)
    let z = NodeID.fixed(3)

    /// Three nodes writing the same fields concurrently: every field has three versions, with
    /// texts full of the metadata syntax's own separators, nulls, integers and odd wall times.
    func conflictedActivity() -> RecordState {
        let base = RecordState(type: "activity", id: recordID(40)).applyingLocalWrite(
            ["title": .text("塔吊司机技能比武"), "kind": .text("contest"), "startsAt": .text("2026-03-08T09:00+08:00")],
            dot: Dot(node: x, counter: 1), wallTime: 1)
        let atX = base.applyingLocalWrite(
            ["description": .text("t3,;:|\n说明"), "capacity": .integer(40)], dot: Dot(node: x, counter: 2),
            wallTime: -5)
        let atY = base.applyingLocalWrite(
            ["description": .null, "capacity": .integer(Int64.max)], dot: Dot(node: y, counter: 1),
            wallTime: Int64.max)
        let atZ = base.applyingLocalWrite(
            ["description": .text(""), "capacity": .integer(0)], dot: Dot(node: z, counter: 7), wallTime: 0)
        return RecordMerge.join(RecordMerge.join(atX, atY), atZ)
    }

    @Test func concurrentVersionsReadBackExactly() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let state = conflictedActivity()
            #expect(state.fields["description"]?.versions.count == 3)
            try replica.write { tx in try tx.apply(state, from: .upstream) }
            #expect(try replica.record(activity, state.id) == state)
            let siblings = try replica.read { reader in
                try String.fetchOne(
                    reader.db, sql: "SELECT _siblings FROM activity WHERE id = ?", arguments: [state.id])
            }
            #expect(siblings?.hasPrefix("[") == false)
            #expect(try replica.read { try $0.digestOfLoadedStates() } == (try replica.digest()))
        }
    }

    /// The first releases stored concurrent versions as JSON; such files must still read.
    /// Local writes bind their texts without SQLite copying them (`ParameterBuffer`): empty
    /// texts stay empty texts (not NULL), and every value, the id and the metadata read back.
    @Test func locallyWrittenTextsReadBackExactly() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let written = try replica.write { tx in
                try (0..<3).map { n in
                    try tx.insert(
                        member,
                        [
                            "name": .text("王\(n)"), "notes": .text(""), "employer": .text(n == 1 ? "" : "宏达钢结构有限公司"),
                            "skills": .text(String(repeating: "焊工;", count: 200 * n)), "phone": .null,
                        ])
                }
            }
            for state in written {
                #expect(try replica.record(member, state.id) == state)
                #expect(state.value("notes") == .text(""))
            }
            let emptyNotes = try replica.read { reader in
                try Int.fetchOne(reader.db, sql: "SELECT count(*) FROM member WHERE notes = ''") ?? 0
            }
            #expect(emptyNotes == 3)
        }
    }

    @Test func jsonSiblingsOfEarlierReleasesStillRead() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let state = conflictedActivity()
            try replica.write { tx in try tx.apply(state, from: .upstream) }
            try replica.write { tx in
                var items: [[String: Any]] = []
                for name in state.fields.keys.sorted() {
                    for version in state.fields[name]!.versions.dropFirst() {
                        let peer = try Int64.fetchOne(
                            tx.db, sql: "SELECT idx FROM peer WHERE node_id = ?",
                            arguments: [version.dot.node.rawValue])!
                        var item: [String: Any] = [
                            "f": name, "n": peer, "c": version.dot.counter, "t": version.wallTime,
                        ]
                        switch version.value {
                        case .null: item["v"] = NSNull()
                        case .text(let text): item["v"] = text
                        case .integer(let number): item["v"] = number
                        }
                        items.append(item)
                    }
                }
                let json = String(
                    decoding: try JSONSerialization.data(withJSONObject: items, options: [.sortedKeys]), as: UTF8.self)
                try tx.db.execute(
                    sql: "UPDATE activity SET _siblings = ? WHERE id = ?", arguments: [json, state.id])
            }
            #expect(try replica.record(activity, state.id) == state)
        }
    }

    /// The first releases stored every field's dot and time in `_meta`, with no common part.
    @Test func metaOfEarlierReleasesStillReads() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let state = conflictedActivity()
            try replica.write { tx in try tx.apply(state, from: .upstream) }
            let current = try replica.read { reader in
                try String.fetchOne(reader.db, sql: "SELECT _meta FROM activity WHERE id = ?", arguments: [state.id])
            }
            #expect(current?.split(separator: "|", omittingEmptySubsequences: false).count == 3)
            try replica.write { tx in
                func peer(_ node: NodeID) throws -> Int64 {
                    try Int64.fetchOne(
                        tx.db, sql: "SELECT idx FROM peer WHERE node_id = ?", arguments: [node.rawValue])!
                }
                let vector = try state.vector.sortedEntries.map { "\(try peer($0.node)).\($0.counter)" }
                let fields = try state.fields.keys.sorted().map { name in
                    let shown = state.fields[name]!.shown
                    return "\(name):\(try peer(shown.dot.node)).\(shown.dot.counter):\(shown.wallTime)"
                }
                let legacy = vector.joined(separator: ",") + "|" + fields.joined(separator: ";")
                try tx.db.execute(sql: "UPDATE activity SET _meta = ? WHERE id = ?", arguments: [legacy, state.id])
            }
            #expect(try replica.record(activity, state.id) == state)
        }
    }

    @Test func damagedMetadataIsReportedNotTrusted() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let state = conflictedActivity()
            try replica.write { tx in try tx.apply(state, from: .upstream) }
            let (meta, siblings) = try replica.read { reader in
                let row = try Row.fetchOne(
                    reader.db, sql: "SELECT _meta, _siblings FROM activity WHERE id = ?", arguments: [state.id])!
                return (row[0] as String, row[1] as String)
            }
            for (column, damage) in [
                ("_meta", "1.x|"), ("_meta", "99.1|title:1.1:1"), ("_meta", "1.1|title"),
                ("_meta", "1.1|1.1:5|title;nosuchfield"), ("_meta", "1.1|1.1|title"), ("_meta", "1.1||title"),
                ("_siblings", "title:1.1:5:t99,ab;"), ("_siblings", "title:1.1:5:q;"), ("_siblings", "title:1.1:5:i1"),
            ] {
                try replica.write { tx in
                    // One damaged column at a time, the other as it was written.
                    try tx.db.execute(
                        sql: "UPDATE activity SET _meta = ?, _siblings = ? WHERE id = ?",
                        arguments: [meta, siblings, state.id])
                    try tx.db.execute(
                        sql: "UPDATE activity SET \(column) = ? WHERE id = ?", arguments: [damage, state.id])
                }
                let error = #expect(throws: ReplicaError.self, "\(column) = \(damage)") {
                    try replica.record(activity, state.id)
                }
                #expect(error?.code == .storage)
            }
            try replica.write { tx in
                try tx.db.execute(
                    sql: "UPDATE activity SET _meta = ?, _siblings = ? WHERE id = ?",
                    arguments: [meta, siblings, state.id])
            }
            #expect(try replica.record(activity, state.id) == state, "the undamaged columns read back")
        }
    }

    /// Schema 1 indexed pending records by their random id; schema 2 by rowid. Opening a
    /// schema-1 file moves it to schema 2 and keeps every record and its pending flag.
    @Test func aSchemaOneFileIsUpgradedInPlace() throws {
        try withScratch { scratch in
            let replica = try scratch.replica("沙头服务中心")
            let written = try replica.write { tx in
                try (0..<5).map { number in try tx.insert(member, ["name": .text("会员\(number)")]) }
            }
            let path = replica.path
            try replica.close()
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in
                try db.execute(
                    sql: """
                        DROP INDEX member_pending;
                        CREATE INDEX member_pending ON member(id) WHERE _pending = 1;
                        DELETE FROM grdb_migrations WHERE identifier = 'v2-pending-index-by-rowid';
                        PRAGMA user_version = 1;
                        """)
            }
            try queue.close()

            let reopened = scratch.track(try Replica.open(at: path))
            let (version, indexSQL) = try reopened.read { reader in
                (
                    try Int.fetchOne(reader.db, sql: "PRAGMA user_version"),
                    try String.fetchOne(
                        reader.db, sql: "SELECT sql FROM sqlite_master WHERE name = 'member_pending'")
                )
            }
            #expect(version == 2)
            #expect(indexSQL?.contains("(_pending)") == true)
            #expect(try reopened.pendingRecordCount() == 5)
            for state in written { #expect(try reopened.record(member, state.id) == state) }
        }
    }
}
