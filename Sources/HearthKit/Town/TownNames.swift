/// The town's places, people and employers: generated, but the kind a real report names.
enum TownNames {
    /// The four "workers' home" service centers.
    static let centers = ["镇政府职工服务中心", "体育公园职工之家", "工业园区职工之家", "石湖村职工之家"]

    /// The 28 village and community union federations.
    static let federations = [
        "石湖村", "大岭村", "新围村", "塘厦村", "东坑村", "沙岗村", "龙背村", "上洞村", "下洞村", "横坑村",
        "白石村", "莲塘村", "长安社区", "振兴社区", "和平社区", "福民社区", "金沙社区", "富华社区", "南门社区",
        "北街社区", "西湖村", "鹤田村", "樟木头村", "凤岗村", "清溪村", "麻涌村", "洪梅村", "中堂村",
    ].map { $0 + "工会联合会" }

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢").map(
        String.init)
    static let given = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志海文云飞鹏辉宇晨亮健斌浩凯").map(String.init)

    /// Employers such as a distillery and a crane company.
    static let employers = [
        "古镇酒厂", "港城吊装有限公司", "华南机械厂", "宝安建筑工程公司", "新禾幼儿园", "美味园食品厂", "速通道路清障公司",
        "联创电子厂", "恒达物流", "金利五金制品厂", "明珠酒店", "盛丰纺织厂", "顺达汽车维修", "康宁护理院", "永信包装材料厂",
        "华美家具厂", "绿源环保科技", "东方模具厂", "天和制衣", "润丰农产品公司",
    ]

    static let trades = ["塔吊司机", "焊工", "育婴员", "西式面点师", "清障车司机"]

    static let enterprisePlaces = ["古镇", "港城", "华南", "宝安", "新禾", "联创", "恒达", "金利", "盛丰", "永信", "东方", "润丰"]
    static let enterpriseKinds = ["酒厂", "机械厂", "电子厂", "五金厂", "纺织厂", "物流公司", "包装厂", "家具厂", "模具厂", "食品厂"]

    static func person(_ rng: inout TownRandom) -> String {
        rng.pick(surnames) + rng.pick(given) + (Bool.random(using: &rng) ? rng.pick(given) : "")
    }
}
