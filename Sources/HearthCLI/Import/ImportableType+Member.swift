import Replica
import SyncCore

extension ImportableType {
    /// Members: Chinese headers as spreadsheets write them; matched by phone number, else name and employer.
    ///
    /// A row with a phone number is the member whose phone has the same digits (spaces, `+` and
    /// `-` do not count, "138 0000 0000" = "13800000000"). A row without one is the member with
    /// the same name and employer, exactly as written after trimming (a row with no employer
    /// matches only members with none).
    public static let member = ImportableType(
        type: HearthSchema.member,
        plural: "members",
        aliases: [
            "name": ["姓名", "名字"],
            "gender": ["性别", "sex"],
            "phone": ["电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "mobile"],
            "employer": ["单位", "工作单位", "企业"],
            "center": ["服务中心", "中心", "所属中心"],
            "residency": ["户籍"],
            "joinedOn": ["入会日期", "入会时间", "joined"],
            "skills": ["技能", "证书", "技能证书"],
            "notes": ["备注"],
        ],
        words: [
            "residency": ["local": ["本地"], "nonlocal": ["外地", "非本地", "新市民", "non-local"]]
        ],
        match: MatchRule(
            summary: "the phone number (digits only) when the row has one, otherwise name and employer",
            keys: { values in
                var keys = [nameAndEmployer(values)]
                if let phone = phoneKey(values) { keys.append(phone) }
                return keys
            },
            lookup: { values in phoneKey(values) ?? nameAndEmployer(values) }))

    private static func phoneKey(_ values: [String: FieldValue]) -> MatchKey? {
        guard let phone = values["phone"]?.text else { return nil }
        let digits = SpreadsheetText.phoneDigits(phone)
        return digits.isEmpty ? nil : MatchKey(by: "phone number", value: digits)
    }

    private static func nameAndEmployer(_ values: [String: FieldValue]) -> MatchKey {
        let name = values["name"]?.description ?? ""
        let employer = values["employer"]?.description ?? ""
        return MatchKey(by: "name and employer", value: name + "\u{1F}" + employer)
    }
}
