extension JSONReader {
    /// A string as found in the body: where its bytes lie between the quotes, and what decoding needs.
    struct RawString {
        /// The first byte after the opening quote.
        var start: Int
        /// The closing quote.
        var end: Int
        var hasEscapes: Bool
        /// No byte ≥ 0x80 (outside escapes): such bytes need no UTF-8 check.
        var isASCII: Bool
        var count: Int { end - start }
    }

    /// Consumes a string, checking only that it ends and holds no raw control characters; escapes
    /// and UTF-8 are checked when it is decoded (`string(_:)`) or skipped (`skipString()`).
    mutating func scanString(_ expected: @autoclosure () -> String = "a string") throws(WireJSONError) -> RawString {
        try expect(.string, expected())
        let start = position + 1
        var index = start
        var hasEscapes = false
        var isASCII = true
        while true {
            // Eight bytes at a time up to the next quote, backslash or control character: most
            // strings are ids and plain text.
            while index + 8 <= bytes.count {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let special = Self.specialBytes(word)
                // The lowest flagged byte is exact: it comes first in the text.
                let plainCount = special == 0 ? 8 : special.trailingZeroBitCount / 8
                let plainMask: UInt64 = plainCount == 8 ? ~0 : (1 << (8 * UInt64(plainCount))) &- 1
                if word & plainMask & 0x8080_8080_8080_8080 != 0 { isASCII = false }
                index += plainCount
                if plainCount < 8 { break }
            }
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                advance(by: index + 1 - position)
                return RawString(start: start, end: index, hasEscapes: hasEscapes, isASCII: isASCII)
            }
            if byte == UInt8(ascii: "\\") {
                // The escaped byte may be a quote: step over it so it does not end the string.
                hasEscapes = true
                index += 2
                continue
            }
            guard byte >= 0x20 else {
                throw WireJSONError(
                    .controlCharacter, "a string holds a raw control character; JSON needs it escaped", at: index)
            }
            if byte >= 0x80 { isASCII = false }
            index += 1
        }
        throw WireJSONError(.truncated, "the JSON text ends inside a string", at: bytes.count)
    }

    /// The high bit set in each byte of `word` (first byte lowest) that is a quote, a backslash or
    /// a control character. Borrows may flag bytes after a flagged one, never before it, so the
    /// lowest flag is exact.
    private static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func zeroBytes(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        let controls = (word &- ones &* 0x20) & ~word & highs
        return controls | zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5C))
    }

    /// Whether two byte ranges hold the same bytes, compared eight at a time.
    static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var index = 0
        while index + 8 <= lhs.count {
            guard
                lhs.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    == rhs.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            else { return false }
            index += 8
        }
        while index < lhs.count {
            guard lhs[index] == rhs[index] else { return false }
            index += 1
        }
        return true
    }

    /// The bytes between the quotes; the string's text only when it has no escapes.
    func rawBytes(_ raw: RawString) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[raw.start..<raw.end])
    }

    mutating func readString(_ expected: @autoclosure () -> String = "a string") throws(WireJSONError) -> String {
        try string(try scanString(expected()))
    }

    /// The text of a scanned string, escapes resolved, refusing bytes that are not UTF-8.
    mutating func string(_ raw: RawString) throws(WireJSONError) -> String {
        let text: String?
        if raw.hasEscapes {
            try unescape(raw)
            text = unescaped.withUnsafeBufferPointer { Self.makeString($0, isASCII: false) }
        } else {
            text = rawBytes(raw).withMemoryRebound(to: UInt8.self) { Self.makeString($0, isASCII: raw.isASCII) }
        }
        guard let text else { throw WireJSONError(.invalidUTF8, "a string is not valid UTF-8", at: raw.start) }
        return text
    }

    /// The string of `bytes`, or nil when they are not UTF-8.
    ///
    /// `String(decoding:)` has a fast path for UTF-8 but repairs bad input instead of refusing it;
    /// `String(validating:)` refuses it but runs unspecialised generic code, a fifth of the decoding
    /// time. So: decode, and compare the bytes (a repair would have changed them).
    private static func makeString(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> String? {
        var text = String(decoding: bytes, as: UTF8.self)
        if isASCII { return text }
        return text.withUTF8 { JSONReader.equal(UnsafeRawBufferPointer($0), UnsafeRawBufferPointer(bytes)) }
            ? text : nil
    }

    /// Consumes a string the message does not use, checking it all the same.
    mutating func skipString() throws(WireJSONError) {
        let raw = try scanString()
        try checkSkipped(raw)
    }

    /// Checks the escapes and UTF-8 of a string that will not be decoded.
    mutating func checkSkipped(_ raw: RawString) throws(WireJSONError) {
        if raw.hasEscapes {
            try unescape(raw)
            guard unescaped.withUnsafeBytes(Self.isValidUTF8) else {
                throw WireJSONError(.invalidUTF8, "a string is not valid UTF-8", at: raw.start)
            }
        } else if !raw.isASCII, !Self.isValidUTF8(rawBytes(raw)) {
            throw WireJSONError(.invalidUTF8, "a string is not valid UTF-8", at: raw.start)
        }
    }

    /// Reads a member name and the colon after it: the member it names, or nil for one the
    /// message does not define (the caller skips its value: PROTOCOL.md §2, forward compatibility).
    mutating func readMemberName<Member>(in names: JSONMemberNames<Member>) throws(WireJSONError) -> Member? {
        let raw = try scanString()
        try consumeColon()
        if !raw.hasEscapes, let member = names.member(named: rawBytes(raw)) { return member }
        if raw.hasEscapes {
            try unescape(raw)
            if let member = unescaped.withUnsafeBytes({ names.member(named: $0) }) { return member }
        }
        try checkSkipped(raw)
        return nil
    }

    /// Reads a member name of a map (field names, node ids) and the colon after it.
    mutating func readMapKey() throws(WireJSONError) -> String {
        let raw = try scanString()
        try consumeColon()
        return try string(raw)
    }

    /// Resolves the escapes of `raw` into `unescaped`, `\uXXXX` and surrogate pairs included.
    mutating func unescape(_ raw: RawString) throws(WireJSONError) {
        unescaped.removeAll(keepingCapacity: true)
        var index = raw.start
        var runStart = index
        while index < raw.end {
            guard bytes[index] == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            unescaped.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
            let escapeStart = index
            // `scanString` stepped over the byte after every backslash, so it lies before `raw.end`.
            let letter = bytes[index + 1]
            index += 2
            switch letter {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): unescaped.append(letter)
            case UInt8(ascii: "b"): unescaped.append(0x08)
            case UInt8(ascii: "f"): unescaped.append(0x0C)
            case UInt8(ascii: "n"): unescaped.append(0x0A)
            case UInt8(ascii: "r"): unescaped.append(0x0D)
            case UInt8(ascii: "t"): unescaped.append(0x09)
            case UInt8(ascii: "u"):
                let scalar = try unicodeEscape(at: &index, end: raw.end, escapeStart: escapeStart)
                UTF8.encode(scalar) { unescaped.append($0) }
            default:
                throw WireJSONError(.invalidEscape, "a string holds an escape JSON does not define", at: escapeStart)
            }
            runStart = index
        }
        unescaped.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<raw.end]))
    }

    /// The scalar of a `\u` escape whose four hex digits start at `index`, joining a surrogate pair
    /// written as two escapes (`\ud83d\ude00` is 😀). Half a pair alone is refused.
    private func unicodeEscape(at index: inout Int, end: Int, escapeStart: Int) throws(WireJSONError)
        -> Unicode.Scalar
    {
        guard let unit = hexQuad(at: index, end: end) else {
            throw WireJSONError(.invalidEscape, "a \\u escape needs four hex digits", at: escapeStart)
        }
        index += 4
        var value = unit
        switch unit {
        case 0xD800...0xDBFF:
            guard index + 6 <= end, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                let low = hexQuad(at: index + 2, end: end), (0xDC00...0xDFFF).contains(low)
            else {
                throw WireJSONError(
                    .loneSurrogate, "a \\u escape holds a high surrogate without a low one after it", at: escapeStart)
            }
            index += 6
            value = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        case 0xDC00...0xDFFF:
            throw WireJSONError(
                .loneSurrogate, "a \\u escape holds a low surrogate without a high one before it", at: escapeStart)
        default:
            break
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw WireJSONError(.invalidEscape, "a \\u escape does not name a character", at: escapeStart)
        }
        return scalar
    }

    /// The value of four hex digits at `index`, or nil.
    private func hexQuad(at index: Int, end: Int) -> UInt32? {
        guard index + 4 <= end else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Strict UTF-8: no overlong forms, no encoded surrogates, nothing above U+10FFFF.
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}

/// The member names a message defines, matched against the raw bytes of a name in the body.
struct JSONMemberNames<Member: CaseIterable & RawRepresentable & Sendable>: Sendable where Member.RawValue == String {
    private let entries: [(name: [UInt8], member: Member)]

    init() {
        entries = Member.allCases.map { (Array($0.rawValue.utf8), $0) }
    }

    func member(named bytes: UnsafeRawBufferPointer) -> Member? {
        for entry in entries where entry.name.count == bytes.count {
            if entry.name.withUnsafeBytes({ JSONReader.equal($0, bytes) }) { return entry.member }
        }
        return nil
    }
}
