import Replica
import SyncCore

extension ImportableType {
    /// Activities: Chinese headers and kind words; matched by title, start date and center.
    ///
    /// A row is the activity with the same title and center (exactly as written after trimming;
    /// no center matches only activities with none) starting on the same day, whatever the time:
    /// a corrected start time updates the activity instead of adding a second one.
    public static let activity = ImportableType(
        type: HearthSchema.activity,
        plural: "activities",
        aliases: [
            "title": ["标题", "活动名称", "名称", "活动"],
            "kind": ["类型", "活动类型", "类别"],
            "center": ["服务中心", "中心", "所属中心"],
            "location": ["地点", "活动地点"],
            "startsAt": ["开始时间", "开始日期", "日期", "starts"],
            "endsAt": ["结束时间", "结束日期", "ends"],
            "capacity": ["人数上限", "名额", "限额"],
            "description": ["说明", "备注", "活动说明", "内容"],
        ],
        words: [
            "kind": [
                "contest": ["竞赛", "比赛", "技能竞赛", "技能大赛"],
                "training": ["培训", "讲座", "课程", "技能培训"],
                "legal-aid": ["法律援助", "法援", "普法", "legal aid"],
                "holiday": ["节日", "节日活动", "节庆"],
                "culture": ["文化", "文体", "文化活动", "文体活动"],
                "assistance": ["帮扶", "困难帮扶", "救助", "援助"],
                "other": ["其他", "其它"],
            ]
        ],
        match: MatchRule(
            summary: "title, start date (the day, not the time) and center",
            keys: { values in [titleDayCenter(values)] },
            lookup: { values in titleDayCenter(values) }))

    private static func titleDayCenter(_ values: [String: FieldValue]) -> MatchKey {
        let title = values["title"]?.description ?? ""
        let day = String((values["startsAt"]?.description ?? "").prefix(10))
        let center = values["center"]?.description ?? ""
        return MatchKey(by: "title, start date and center", value: [title, day, center].joined(separator: "\u{1F}"))
    }
}
