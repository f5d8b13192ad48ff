/// Text written in GBK from a fixed table of known byte pairs, independent of any decoder under test.
///
/// The pairs are those of the GBK (and GB18030) code page, e.g. 张 = D5 C5, 三 = C8 FD.
/// ASCII characters are written as themselves, as GBK does.
enum GBKBytes {
    static let table: [Character: [UInt8]] = [
        "张": [0xD5, 0xC5], "三": [0xC8, 0xFD], "李": [0xC0, 0xEE], "四": [0xCB, 0xC4], "王": [0xCD, 0xF5],
        "刘": [0xC1, 0xF5], "陈": [0xB3, 0xC2], "杨": [0xD1, 0xEE], "赵": [0xD5, 0xD4], "黄": [0xBB, 0xC6],
        "周": [0xD6, 0xDC], "吴": [0xCE, 0xE2], "欧": [0xC5, 0xB7], "阳": [0xD1, 0xF4], "伟": [0xCE, 0xB0],
        "芳": [0xB7, 0xBC], "娜": [0xC4, 0xC8], "敏": [0xC3, 0xF4], "静": [0xBE, 0xB2], "丽": [0xC0, 0xF6],
        "强": [0xC7, 0xBF], "磊": [0xC0, 0xDA], "军": [0xBE, 0xFC], "洋": [0xD1, 0xF3], "勇": [0xD3, 0xC2],
        "艳": [0xD1, 0xDE], "杰": [0xBD, 0xDC], "娟": [0xBE, 0xEA], "涛": [0xCC, 0xCE], "明": [0xC3, 0xF7],
        "超": [0xB3, 0xAC], "秀": [0xD0, 0xE3], "英": [0xD3, 0xA2], "华": [0xBB, 0xAA],
        "姓": [0xD0, 0xD5], "名": [0xC3, 0xFB], "手": [0xCA, 0xD6], "机": [0xBB, 0xFA], "户": [0xBB, 0xA7],
        "籍": [0xBC, 0xAE], "外": [0xCD, 0xE2], "地": [0xB5, 0xD8], "本": [0xB1, 0xBE], "所": [0xCB, 0xF9],
        "属": [0xCA, 0xF4], "中": [0xD6, 0xD0], "心": [0xD0, 0xC4], "沙": [0xC9, 0xB3], "头": [0xCD, 0xB7],
        "服": [0xB7, 0xFE], "务": [0xCE, 0xF1], "入": [0xC8, 0xEB], "会": [0xBB, 0xE1], "日": [0xC8, 0xD5],
        "期": [0xC6, 0xDA], "技": [0xBC, 0xBC], "能": [0xC4, 0xDC], "证": [0xD6, 0xA4], "书": [0xCA, 0xE9],
        "焊": [0xBA, 0xB8], "工": [0xB9, 0xA4], "塔": [0xCB, 0xFE], "吊": [0xB5, 0xF5], "司": [0xCB, 0xBE],
        "性": [0xD0, 0xD4], "别": [0xB1, 0xF0], "男": [0xC4, 0xD0], "女": [0xC5, 0xAE], "新": [0xD0, 0xC2],
        "市": [0xCA, 0xD0], "民": [0xC3, 0xF1],
    ]

    static let surnames: [String] = ["张", "李", "王", "刘", "陈", "杨", "赵", "黄", "周", "吴", "欧阳"]
    static let givenNames: [String] = [
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "华",
    ]

    /// `text` in GBK; every non-ASCII character must be in `table`.
    static func encode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        // By scalar, not Character: "\r\n" is one Character whose asciiValue is "\n".
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                bytes.append(UInt8(scalar.value))
            } else if let pair = table[Character(scalar)] {
                bytes += pair
            } else {
                preconditionFailure("no GBK bytes for \(scalar) in the test table")
            }
        }
        return bytes
    }

    /// A Chinese name for member `index`: surname and one or two given-name characters.
    static func name(_ index: Int) -> String {
        let surname = surnames[index % surnames.count]
        let first = givenNames[(index / surnames.count) % givenNames.count]
        let second = index % 3 == 0 ? "" : givenNames[(index / 7) % givenNames.count]
        return surname + first + second
    }
}
