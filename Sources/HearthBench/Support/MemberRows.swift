import SyncCore

/// A member-like row: a lowercase UUID text key and 8 text columns, mostly Chinese, as the
/// union's staff type them. The raw-SQLite baseline, the session peer and Hearth get the same rows.
struct MemberRow: Sendable {
    static let columnNames = ["name", "gender", "phone", "employer", "center", "residency", "joinedOn", "skills"]

    var id: String
    /// The 8 values, in `columnNames` order.
    var columns: [String]

    /// The values as the replica API takes them.
    var values: [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        values.reserveCapacity(Self.columnNames.count)
        for (name, text) in zip(Self.columnNames, columns) { values[name] = .text(text) }
        return values
    }

    /// `count` rows, the same for the same seed.
    static func generate(count: Int, seed: UInt64) -> [MemberRow] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in make(&generator) }
    }

    private static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘")
    private static let givenNames = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力")
    private static let employers = [
        "沙头港务起重作业公司", "宏达钢结构有限公司", "新城幼儿园", "金麦穗糕点厂", "工业园区物流中心", "恒信电子厂",
        "顺风客运站", "绿源食品加工厂", "东方建筑工程队", "南湖酒店",
    ]
    private static let centers = ["town-hall", "sports-park", "industrial-park", "village"]
    private static let skills = ["塔吊司机", "焊工", "保育员", "西点师", "电工", "叉车司机", "育婴师", "厨师", "钳工", "保安员"]

    static func make(_ generator: inout SplitMix64) -> MemberRow {
        let a = generator.next(), b = generator.next(), c = generator.next()
        let name =
            String(surnames[Int(a % UInt64(surnames.count))])
            + String(givenNames[Int((a >> 8) % UInt64(givenNames.count))])
            + ((a >> 16) & 1 == 0 ? String(givenNames[Int((a >> 24) % UInt64(givenNames.count))]) : "")
        let phone = "13" + String(100_000_000 + b % 900_000_000)
        let month = 1 + (c >> 8) % 12, day = 1 + (c >> 16) % 28
        let joined =
            "20\(15 + (c % 11))-" + (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "") + String(day)
        let columns = [
            name, (a >> 32) & 1 == 0 ? "男" : "女", phone, employers[Int((b >> 40) % UInt64(employers.count))],
            centers[Int((c >> 24) % UInt64(centers.count))], (c >> 28) & 1 == 0 ? "local" : "nonlocal", joined,
            skills[Int((c >> 32) % UInt64(skills.count))],
        ]
        return MemberRow(id: uuidText(generator.next(), generator.next()), columns: columns)
    }

    /// A version-4 UUID in lowercase text from 128 random bits.
    static func uuidText(_ high: UInt64, _ low: UInt64) -> String {
        let versioned = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let varianted = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let hex = hex16(versioned) + hex16(varianted)
        let characters = Array(hex)
        return String(characters[0..<8]) + "-" + String(characters[8..<12]) + "-" + String(characters[12..<16]) + "-"
            + String(characters[16..<20]) + "-" + String(characters[20..<32])
    }

    private static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
