import SyncCore
import Testing

@Suite("Digests")
struct DigestTests {
    let x = NodeID.fixed(1)
    let y = NodeID.fixed(2)

    func member(_ id: String, _ values: [String: FieldValue], by node: NodeID, _ counter: UInt64, wallTime: Int64 = 5)
        -> RecordState
    {
        RecordState(type: "member", id: id).applyingLocalWrite(
            values, dot: Dot(node: node, counter: counter), wallTime: wallTime)
    }

    var records: [RecordState] {
        [
            member("00000000-0000-4000-8000-0000000000a1", ["name": .text("张三")], by: x, 1),
            member("00000000-0000-4000-8000-0000000000a2", ["name": .text("李四"), "phone": .text("139")], by: y, 1),
            member("00000000-0000-4000-8000-0000000000a3", ["name": .text("王五"), "notes": .null], by: x, 2),
            member("00000000-0000-4000-8000-0000000000a4", [RecordState.lifecycleField: RecordState.deleted], by: y, 2),
        ]
    }

    @Test func recordHashIsSixteenBytesAndDeterministic() {
        let state = records[0]
        #expect(RecordDigest.hash(state).count == 16)
        #expect(RecordDigest.hash(state) == RecordDigest.hash(state))
    }

    @Test func recordHashIgnoresHowTheStateWasAssembled() {
        // The same state reached by merging in either order, with fields inserted in different orders.
        let base = member("00000000-0000-4000-8000-0000000000b1", ["name": .text("张三")], by: x, 1)
        let atX = base.applyingLocalWrite(
            ["phone": .text("1"), "notes": .text("甲")], dot: Dot(node: x, counter: 2), wallTime: 7)
        let atY = base.applyingLocalWrite(
            ["notes": .text("乙"), "employer": .text("厂")], dot: Dot(node: y, counter: 1), wallTime: 8)
        #expect(RecordDigest.hash(RecordMerge.join(atX, atY)) == RecordDigest.hash(RecordMerge.join(atY, atX)))
    }

    @Test func recordHashChangesWithAnyPartOfTheState() {
        let id = "00000000-0000-4000-8000-0000000000c1"
        let base = member(id, ["name": .text("张三")], by: x, 1)
        let variants = [
            member(id, ["name": .text("张四")], by: x, 1),
            member(id, ["name": .text("张三")], by: x, 2),
            member(id, ["name": .text("张三")], by: y, 1),
            member(id, ["name": .text("张三")], by: x, 1, wallTime: 6),
            member(id, ["name": .text("张三"), "notes": .null], by: x, 1),
            member("00000000-0000-4000-8000-0000000000c2", ["name": .text("张三")], by: x, 1),
            RecordState(type: "activity", id: id).applyingLocalWrite(
                ["name": .text("张三")], dot: Dot(node: x, counter: 1), wallTime: 5),
        ]
        let hashes = Set(variants.map(RecordDigest.hash))
        #expect(hashes.count == variants.count)
        #expect(!hashes.contains(RecordDigest.hash(base)))
    }

    @Test func recordHashTellsValueKindsApart() {
        let id = "00000000-0000-4000-8000-0000000000d1"
        let values: [FieldValue] = [.null, .text(""), .text("1"), .integer(1), .text("0"), .integer(0)]
        let hashes = Set(values.map { RecordDigest.hash(member(id, ["notes": $0], by: x, 1)) })
        #expect(hashes.count == values.count)
        // Length prefixes keep field boundaries apart.
        let split1 = member(id, ["name": .text("ab"), "notes": .text("c")], by: x, 1)
        let split2 = member(id, ["name": .text("a"), "notes": .text("bc")], by: x, 1)
        #expect(RecordDigest.hash(split1) != RecordDigest.hash(split2))
    }

    @Test func replicaDigestIsIndependentOfOrder() {
        let hashes = records.map(RecordDigest.hash)
        var forward = ReplicaDigest()
        for hash in hashes { forward.toggle(hash) }
        var backward = ReplicaDigest()
        for hash in hashes.reversed() { backward.toggle(hash) }
        var shuffled = ReplicaDigest()
        for index in [2, 0, 3, 1] { shuffled.toggle(hashes[index]) }
        #expect(forward == backward)
        #expect(forward == shuffled)
        #expect(forward != ReplicaDigest())
    }

    @Test func togglingARecordInAndOutRestoresTheDigest() {
        let hashes = records.map(RecordDigest.hash)
        var digest = ReplicaDigest()
        digest.toggle(hashes[0])
        digest.toggle(hashes[1])
        let before = digest
        digest.toggle(hashes[2])
        #expect(digest != before)
        digest.toggle(hashes[2])
        #expect(digest == before)
        // Replacing a record's state: out with the old hash, in with the new.
        var replaced = before
        replaced.toggle(hashes[1])
        replaced.toggle(hashes[3])
        var direct = ReplicaDigest()
        direct.toggle(hashes[0])
        direct.toggle(hashes[3])
        #expect(replaced == direct)
    }

    @Test func emptyDigestIsThirtyTwoZeros() {
        #expect(ReplicaDigest().hex == String(repeating: "0", count: 32))
        #expect(ReplicaDigest().bytes == Array(repeating: 0, count: 16))
    }

    @Test func hexRoundTrips() throws {
        var digest = ReplicaDigest()
        for record in records { digest.toggle(RecordDigest.hash(record)) }
        let hex = digest.hex
        #expect(hex.utf8.count == 32)
        #expect(hex == hex.lowercased())
        #expect(ReplicaDigest(hex: hex) == digest)
        #expect(digest.description == hex)
        let upper = try #require(ReplicaDigest(hex: hex.uppercased()))
        #expect(upper == digest)
        #expect(ReplicaDigest(hex: "0f1e2d3c4b5a69788796a5b4c3d2e1f0")?.hex == "0f1e2d3c4b5a69788796a5b4c3d2e1f0")
    }

    @Test(arguments: [
        "",
        "abc",
        String(repeating: "0", count: 31),
        String(repeating: "0", count: 33),
        String(repeating: "g", count: 32),
        String(repeating: "0", count: 30) + "zz",
        String(repeating: "+f", count: 16),
        String(repeating: "-0", count: 16),
        String(repeating: "0", count: 30) + "é",
        String(repeating: "0", count: 30) + "\r\n",
        String(repeating: "0", count: 29) + "中",
        "0x" + String(repeating: "0", count: 30),
    ])
    func malformedHexIsRejected(_ text: String) {
        #expect(ReplicaDigest(hex: text) == nil)
    }
}
