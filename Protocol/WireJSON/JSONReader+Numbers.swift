extension JSONReader {
    /// Reads an integer that must fit an `Int64` (times, cursors, integer field values).
    mutating func readInt64(_ expected: @autoclosure () -> String = "an integer") throws(WireJSONError) -> Int64 {
        let start = position
        let (isNegative, magnitude) = try readIntegerParts(expected())
        let limit = UInt64(Int64.max) + (isNegative ? 1 : 0)
        guard magnitude <= limit else {
            throw WireJSONError(.outOfRange, "\(expected()) does not fit in a signed 64-bit integer", at: start)
        }
        // For -2^63 the two's complement negation wraps to exactly Int64.min.
        return isNegative ? Int64(bitPattern: 0 &- magnitude) : Int64(magnitude)
    }

    /// Reads an integer that must fit a `UInt64` (counters).
    mutating func readUInt64(_ expected: @autoclosure () -> String = "an integer") throws(WireJSONError) -> UInt64 {
        let start = position
        let (isNegative, magnitude) = try readIntegerParts(expected())
        // `-0` is zero, not a negative number.
        guard !isNegative || magnitude == 0 else {
            throw WireJSONError(.outOfRange, "\(expected()) must not be negative", at: start)
        }
        return magnitude
    }

    /// Reads `-?digits` as sign and magnitude, refusing fractions, exponents and anything past 2^64 − 1.
    ///
    /// The protocol's numbers are all integers (PROTOCOL.md §2), and `1.0` or `1e3` are refused
    /// rather than rounded: no conforming sender writes them, and accepting them would invite
    /// senders that lose precision above 2^53 (JavaScript doubles).
    private mutating func readIntegerParts(_ expected: @autoclosure () -> String) throws(WireJSONError) -> (
        Bool, UInt64
    ) {
        try expect(.number, expected())
        let start = position
        var index = position
        let isNegative = bytes[index] == UInt8(ascii: "-")
        if isNegative { index += 1 }
        let firstDigit = index
        var magnitude: UInt64 = 0
        var overflowed = false
        while index < bytes.count, let digit = Self.digitValue(bytes[index]) {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            overflowed = overflowed || overflow1 || overflow2
            magnitude = sum
            index += 1
        }
        guard index > firstDigit else {
            throw index < bytes.count
                ? WireJSONError(.syntax, "a '-' must be followed by digits", at: start)
                : WireJSONError(.truncated, "the JSON text ends inside a number", at: index)
        }
        if index - firstDigit > 1, bytes[firstDigit] == UInt8(ascii: "0") {
            throw WireJSONError(.syntax, "a number has a leading zero", at: start)
        }
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                throw WireJSONError(
                    .notAnInteger, "expected \(expected()), found a number with a fraction or exponent", at: start)
            default: break
            }
        }
        guard !overflowed else {
            throw WireJSONError(.outOfRange, "\(expected()) does not fit in a 64-bit integer", at: start)
        }
        advance(by: index - position)
        return (isNegative, magnitude)
    }

    /// Consumes any JSON number (fractions and exponents included) the message does not use.
    mutating func skipNumber() throws(WireJSONError) {
        try expect(.number, "a number")
        var index = position
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let firstDigit = index
        try requireDigits(from: &index, "a number lacks its digits")
        if index - firstDigit > 1, bytes[firstDigit] == UInt8(ascii: "0") {
            throw error(.syntax, "a number has a leading zero")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            try requireDigits(from: &index, "a number's '.' must be followed by digits")
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            try requireDigits(from: &index, "a number's exponent lacks its digits")
        }
        advance(by: index - position)
    }

    /// Moves `index` past one or more digits; `reason` is the complaint when there are none.
    private func requireDigits(from index: inout Int, _ reason: String) throws(WireJSONError) {
        guard countDigits(from: &index) == 0 else { return }
        throw index < bytes.count
            ? WireJSONError(.syntax, reason, at: position)
            : WireJSONError(.truncated, "the JSON text ends inside a number", at: index)
    }

    private func countDigits(from index: inout Int) -> Int {
        let start = index
        while index < bytes.count, Self.digitValue(bytes[index]) != nil { index += 1 }
        return index - start
    }

    private static func digitValue(_ byte: UInt8) -> UInt8? {
        let value = byte &- UInt8(ascii: "0")
        return value < 10 ? value : nil
    }
}
