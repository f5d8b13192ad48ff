import HearthTestSupport

/// Members for crash trials: Chinese names drawn from the trial's generator, phones unique within the trial.
///
/// The phone is the member's key in the ledger: every member a trial writes has a different
/// one, so a record that shows up twice (a doubled import, a replayed write) is easy to spot.
struct CrashRoster {
    struct Member: Hashable {
        var name: String
        var phone: String
        var center: String
    }

    static let surnames = ["张", "李", "王", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "欧阳", "司马"]
    static let given = ["伟", "芳", "秀英", "娜", "敏", "静", "强", "磊", "军", "洋", "艳", "勇", "杰", "娟", "涛", "明"]
    static let centers = ["沙头服务中心", "体育公园服务中心", "工业园服务中心", "南村服务中心"]

    private var random: SeededGenerator
    private var next = 0

    init(random: SeededGenerator) {
        self.random = random
    }

    mutating func member() -> Member {
        next += 1
        let name =
            random.pick(Self.surnames)! + random.pick(Self.given)!
            + (random.chance(300) ? random.pick(Self.given)! : "")
        let phone = "139" + String(next + 10_000_000).suffix(8)
        return Member(name: name, phone: phone, center: random.pick(Self.centers)!)
    }

    mutating func members(_ count: Int) -> [Member] {
        (0..<count).map { _ in member() }
    }

    /// A spreadsheet export: UTF-8 with BOM, Chinese headers, CRLF line ends.
    static func csv(_ members: [Member]) -> [UInt8] {
        var text = "姓名,电话,服务中心,户籍,备注\r\n"
        for (index, member) in members.enumerated() {
            text += "\(member.name),\(member.phone),\(member.center),\(index % 3 == 0 ? "本地" : "外地"),崩溃测试\r\n"
        }
        return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
    }

    /// `hearth member add` arguments for one member.
    static func addArguments(_ member: Member) -> [String] {
        ["member", "add", "--name", member.name, "--phone", member.phone, "--center", member.center]
    }
}
