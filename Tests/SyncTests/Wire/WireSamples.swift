import HearthProtocol
import HearthTestSupport
import SyncCore

/// Random record states and pull answers full of what is hard to get right in JSON.
enum WireSamples {
    /// Pieces of text values: CJK (one in a surrogate pair), emoji sequences, quotes, backslashes,
    /// every kind of control character, `/`, line separators, combining marks, the highest scalars.
    static let textPieces = [
        "张三", "沙头建筑工程有限公司", "😀", "👨‍👩‍👧‍👦", "𠀀", "a\"b", "back\\slash", "\\\"", "\u{0}\u{1}\u{1F}",
        "line\nbreak\ttab\r\u{8}\u{C}", "/slash/", "\u{2028}\u{2029}", "e\u{301}", "\u{7F}", "\u{FFFF}", "\u{10FFFF}",
        "13800000000", "2025-11-25T14:02", "", "plain ascii text of some length, for the fast path",
    ]
    static let fieldNames = [
        "name", "phone", "employer", "_deleted", "joinedOn", "capacity", "a\"quote", "字段", "tab\t",
    ]
    static let types = ["member", "activity", "participation", "类型"]

    static func uuid(_ random: inout SeededGenerator) -> String {
        let high = random.next()
        let low = random.next()
        return UUIDText.fromHash((0..<16).map { UInt8(truncatingIfNeeded: ($0 < 8 ? high : low) >> (8 * ($0 % 8))) })
    }

    static func integer(_ random: inout SeededGenerator) -> Int64 {
        switch random.next() % 6 {
        case 0: .min
        case 1: .max
        case 2: 0
        case 3: -1
        default: Int64(bitPattern: random.next()) >> (random.next() % 64)
        }
    }

    static func counter(_ random: inout SeededGenerator) -> UInt64 {
        switch random.next() % 4 {
        case 0: .max
        case 1: 1
        default: max(1, random.next() >> (random.next() % 64))
        }
    }

    static func text(_ random: inout SeededGenerator) -> String {
        (0..<Int(random.next() % 4)).map { _ in textPieces[Int(random.next() % UInt64(textPieces.count))] }.joined()
    }

    static func value(_ random: inout SeededGenerator) -> FieldValue {
        switch random.next() % 4 {
        case 0: .null
        case 1: .integer(integer(&random))
        default: .text(text(&random))
        }
    }

    static func state(_ random: inout SeededGenerator, nodes: [NodeID]) -> RecordState {
        func node() -> NodeID { nodes[Int(random.next() % UInt64(nodes.count))] }
        var counters: [NodeID: UInt64] = [:]
        for _ in 0..<(1 + random.next() % 3) { counters[node()] = counter(&random) }
        var fields: [String: FieldState] = [:]
        for _ in 0..<(1 + random.next() % 7) {
            let name = fieldNames[Int(random.next() % UInt64(fieldNames.count))]
            let versions = (0..<(1 + random.next() % 3)).map { _ in
                FieldVersion(
                    value: value(&random), dot: Dot(node: node(), counter: counter(&random)), wallTime: integer(&random)
                )
            }
            fields[name] = FieldState(field: name, versions: versions)
        }
        return RecordState(
            type: types[Int(random.next() % UInt64(types.count))], id: uuid(&random), vector: VersionVector(counters),
            fields: fields)
    }

    static func states(_ random: inout SeededGenerator, count: Int) -> [RecordState] {
        let nodes = (0..<3).map { _ in NodeID(trusted: uuid(&random)) }
        return (0..<count).map { _ in state(&random, nodes: nodes) }
    }

    static func pullResponse(_ random: inout SeededGenerator, count: Int) -> PullResponse {
        let states = states(&random, count: count)
        var names: [String: String] = [:]
        for _ in 0..<(random.next() % 4) { names[uuid(&random)] = text(&random) }
        return PullResponse(
            changes: states.map(WireChange.init), nextCursor: integer(&random), hasMore: random.next() % 2 == 0,
            digest: text(&random), nodes: names, serverTime: integer(&random))
    }
}
