import HearthTestSupport
import SyncCore
import Testing

/// The record hash is stored in every replica file (`_hash`) and compared across replicas, so
/// its bytes must never change. These tests hold it to the reference encoding: the first
/// release's implementation, kept here verbatim (strings for numbers, sorts everywhere).
@Suite("Digest format")
struct DigestFormatTests {
    static func referenceHash(_ state: RecordState) -> [UInt8] {
        var buffer: [UInt8] = []
        func append(_ text: String) {
            let bytes = text.utf8
            buffer.append(contentsOf: String(bytes.count).utf8)
            buffer.append(0x1F)
            buffer.append(contentsOf: bytes)
        }
        append(state.type)
        append(state.id)
        for entry in state.vector.sortedEntries {
            append(entry.node.rawValue)
            append(String(entry.counter))
        }
        buffer.append(0x1E)
        for name in state.fields.keys.sorted() {
            append(name)
            for version in state.fields[name]!.versions.sorted(by: { $0.dot < $1.dot }) {
                append(version.dot.node.rawValue)
                append(String(version.dot.counter))
                append(String(version.wallTime))
                switch version.value {
                case .null: buffer.append(0x30)
                case .text(let text):
                    buffer.append(0x31)
                    append(text)
                case .integer(let number):
                    buffer.append(0x32)
                    append(String(number))
                }
            }
            buffer.append(0x1E)
        }
        return ReferenceSHA256.first16(of: buffer)
    }

    @Test func hashMatchesTheReferenceEncodingOnSimulatedStates() {
        for seed in TestSeeds.cases(200) {
            var rng = SeededGenerator(seed: seed)
            var simulation = RecordSimulation(nodeCount: Int.random(in: 2...4, using: &rng))
            simulation.run(steps: Int.random(in: 5...30, using: &rng), using: &rng)
            for state in simulation.history {
                #expect(RecordDigest.hash(state) == Self.referenceHash(state), TestSeeds.comment(seed))
            }
        }
    }

    @Test(arguments: [Int64.min, -1, 0, 9, 10, 99, 100, 1_769_558_400_000, Int64.max])
    func hashMatchesTheReferenceEncodingAtNumberEdges(_ number: Int64) {
        let node = NodeID.fixed(7)
        let state = RecordState(type: "member", id: "00000000-0000-4000-8000-0000000000e1").applyingLocalWrite(
            ["capacity": .integer(number), "name": .text("张三;:|,"), "notes": .null],
            dot: Dot(node: node, counter: UInt64(number.magnitude % 1_000) + 1), wallTime: number)
        #expect(RecordDigest.hash(state) == Self.referenceHash(state))
    }

    @Test func uuidTextFormatsLikeFoundation() {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(UUIDText.fromHash(bytes) == ReferenceSHA256.foundationUUIDText(bytes))
        }
        for _ in 0..<200 {
            let id = UUIDText.random()
            #expect(UUIDText.normalise(id) == id)
            let utf8 = Array(id.utf8)
            #expect(utf8[14] == UInt8(ascii: "4"))
            #expect([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(utf8[19]))
        }
        #expect(Set((0..<1_000).map { _ in UUIDText.random() }).count == 1_000)
    }
}
