import HearthTestSupport
import Replica
import SyncCore

/// Made-up but plausible records of a town's workers' homes: Chinese names, employers,
/// activities, legal-aid cases.
enum SampleData {
    static let centers = ["市政厅职工之家", "体育公园服务中心", "沙头村服务站", "北岸社区工会", "南桥村工会联合会", "西湖工业区工会"]
    static let hubName = "工业园服务中心"
    static let laptopName = "志愿者-笔记本1"
    static let laptopNames = [laptopName, "志愿者-笔记本2"]

    static let surnames = ["张", "王", "李", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"]
    static let givenNames = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "建国", "春梅"]
    static let employers = ["宝安建筑有限公司", "华南机械厂", "顺丰速运", "海天食品", "工业园电子厂", "市政环卫所", "幸福家政服务社"]
    static let skills = ["塔吊司机", "电焊工", "育婴员", "面点师", "叉车司机", "家政服务", "中式烹调"]
    static let notes = ["新市民", "春节不返乡", "需要法律援助", "已参加职工互助保险", "子女报名夏令营", "腿脚不便，需要照顾"]
    static let activityTitles = [
        "塔吊司机技能大赛", "焊工技能比武", "育婴员技能竞赛", "面点师大赛", "法律援助讲座", "除夕团圆饭", "春运返乡服务台",
        "职工文化节", "拔河比赛", "职工子女夏令营",
    ]
    static let locations = ["市政厅礼堂", "体育公园", "汽车站候车大厅", "工业园培训中心", "沙头村文化室"]
    static let outcomes = ["已调解，补发工资", "仲裁胜诉", "企业整改规章制度", "发放困难补助", "推荐到电子厂就业"]
    static let descriptions = ["为不能回家过年的职工准备年夜饭", "免费法律咨询，带好劳动合同", "报名即送保温杯", "名额有限，先到先得"]

    /// Raw input text for `field` of `type`, as staff would type it; sometimes empty for optional fields.
    static func text(for field: String, of type: RecordType, random: inout SeededGenerator) -> String {
        if let spec = type.field(field), !spec.isRequired, random.chance(80) { return "" }
        switch (type.name, field) {
        case ("member", "name"): return personName(&random)
        case ("member", "gender"): return random.pick(["男", "女"])!
        case ("member", "phone"): return phone(&random)
        case ("member", "employer"): return random.pick(employers)!
        case ("member", "center"), ("activity", "center"): return random.pick(centers + [hubName])!
        case ("member", "residency"): return random.pick(["local", "nonlocal"])!
        case ("member", "joinedOn"): return "20\(random.int(18...26))-0\(random.int(1...9))-1\(random.int(0...9))"
        case ("member", "skills"): return random.pick(skills)!
        case ("member", "notes"): return random.pick(notes)!
        case ("activity", "title"): return random.pick(activityTitles)!
        case ("activity", "kind"): return random.pick(HearthSchema.activityKinds)!
        case ("activity", "location"): return random.pick(locations)!
        case ("activity", "startsAt"): return time(day: random.int(1...4), &random)
        case ("activity", "endsAt"): return time(day: random.int(4...9), &random)
        case ("activity", "capacity"): return String(random.int(1...4))
        case ("activity", "description"): return random.pick(descriptions)!
        case ("participation", "status"): return random.pick(HearthSchema.participationStatuses)!
        case ("participation", "checkedInAt"): return time(day: random.int(1...9), &random)
        case ("case", "kind"): return random.pick(HearthSchema.caseKinds)!
        case ("case", "status"): return random.pick(["open", "withdrawn"])!
        case ("case", "openedOn"): return "2026-01-\(random.int(10...28))"
        case ("case", "closedOn"): return "2026-02-0\(random.int(1...9))"
        case ("case", "workers"): return String(random.int(1...40))
        case ("case", "amountFen"), ("enrolment", "paidInFen"): return String(random.int(1...200) * 500)
        case ("case", "enterprise"): return random.pick(employers)!
        case ("case", "outcome"): return random.pick(outcomes)!
        case ("case", "center"), ("enrolment", "center"): return random.pick(centers + [hubName])!
        default: return random.pick(notes)!
        }
    }

    /// A validated value for `field`, or nil when the generated text is refused by the declaration.
    static func value(for field: String, of type: RecordType, random: inout SeededGenerator) -> FieldValue? {
        try? type.parse(field, text: text(for: field, of: type, random: &random))
    }

    static func personName(_ random: inout SeededGenerator) -> String {
        random.pick(surnames)! + random.pick(givenNames)!
    }

    static func phone(_ random: inout SeededGenerator) -> String {
        "1" + random.pick(["38", "39", "58", "86", "37"])! + String(random.int(10_000_000...99_999_999))
    }

    /// A local time in February 2026, when the return-home desk and the contests run.
    static func time(day: Int, _ random: inout SeededGenerator) -> String {
        "2026-02-0\(day)T\(random.int(10...20)):\(random.pick(["00", "15", "30", "45"])!)"
    }
}
