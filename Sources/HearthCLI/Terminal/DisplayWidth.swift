/// How many terminal columns text takes, so tables stay aligned with Chinese text.
///
/// East Asian wide and fullwidth characters (CJK ideographs, kana, hangul, fullwidth punctuation
/// such as `，` and `（`) and emoji take two columns; combining marks and invisible format characters
/// take none; everything else takes one. Ambiguous-width characters (`·`, `—`, `…`) count as one,
/// as in most terminals and in `wcwidth`.
public enum DisplayWidth {
    /// The number of columns `text` takes in a terminal.
    public static func of(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// The number of columns one character (grapheme cluster) takes: 0, 1 or 2.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.count > 1, first.properties.isEmoji, scalars.contains("\u{FE0F}") { return 2 }
        return of(first)
    }

    /// The number of columns one Unicode scalar takes when it starts a character: 0, 1 or 2.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        if value < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if scalar.properties.isEmojiPresentation { return 2 }
        return wideRanges.contains { $0.contains(value) } ? 2 : 1
    }

    /// Cuts `text` to at most `width` columns, ending it with `…` when something was cut.
    public static func truncate(_ text: String, toWidth width: Int) -> String {
        guard of(text) > width else { return text }
        guard width > 0 else { return "" }
        var result = ""
        var used = 0
        for character in text {
            let next = of(character)
            if used + next > width - 1 { break }
            result.append(character)
            used += next
        }
        return result + "…"
    }

    /// Code points whose East Asian Width is Wide (W) or Fullwidth (F), after Unicode's EastAsianWidth.txt.
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F,  // Hangul Jamo initial consonants
        0x231A...0x231B, 0x2329...0x232A,
        0x2E80...0x303E,  // CJK radicals, Kangxi radicals, CJK symbols and punctuation (、。「」)
        0x3041...0x33FF,  // Hiragana, Katakana, Bopomofo, CJK compatibility
        0x3400...0x4DBF,  // CJK Extension A
        0x4E00...0x9FFF,  // CJK Unified Ideographs
        0xA000...0xA4CF,  // Yi
        0xA960...0xA97F,  // Hangul Jamo Extended-A
        0xAC00...0xD7A3,  // Hangul syllables
        0xF900...0xFAFF,  // CJK Compatibility Ideographs
        0xFE10...0xFE19,  // vertical forms
        0xFE30...0xFE6F,  // CJK compatibility forms, small form variants
        0xFF00...0xFF60,  // fullwidth forms (，（）！：)
        0xFFE0...0xFFE6,  // fullwidth signs (￥)
        0x16FE0...0x18CFF,  // Tangut and ideographic symbols
        0x1B000...0x1B2FF,  // Kana supplement and extensions
        0x1F300...0x1F64F, 0x1F900...0x1F9FF,  // pictographs and emoji
        0x20000...0x2FFFD,  // CJK Extensions B–F, compatibility supplement
        0x30000...0x3FFFD,  // CJK Extensions G–H
    ]
}
