/// Reads JSON (RFC 8259) from UTF-8 bytes one value at a time: the reading half of the wire codec.
///
/// A pull parser: the caller knows the shape it expects and asks for it (`beginObject`,
/// `nextMember`, `readInt64`…), so values go straight into their final types without a
/// document tree in between. Everything it skips (`skipValue`) is still checked to be valid
/// JSON. Every problem is a `WireJSONError`; no input traps or reads past the end.
///
/// The reader borrows `bytes`: create it inside `withUnsafeReadableBytes` (or similar) and do not
/// let it escape that closure.
struct JSONReader {
    /// The deepest nesting of arrays and objects accepted. The messages themselves nest six
    /// levels; the rest is room for unknown members, bounded so hostile input cannot exhaust
    /// the stack of the recursive `skipValue`.
    static let maxDepth = 64

    /// The kind of the next value, as told by its first byte.
    enum Kind {
        case object, array, string, number, bool, null

        /// "an object", "a string"…: for "expected …, found …" messages.
        var phrase: String {
            switch self {
            case .object: "an object"
            case .array: "an array"
            case .string: "a string"
            case .number: "a number"
            case .bool: "a boolean"
            case .null: "null"
            }
        }
    }

    /// Where an object or array stands: how many members or elements have been entered.
    struct Container {
        fileprivate(set) var count = 0
        /// The index of the element being read (valid after `nextElement` returned true).
        var index: Int { count - 1 }
    }

    let bytes: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    private(set) var position = 0
    private var depth = 0
    /// Scratch space for strings with escapes, reused so that only their final `String` allocates.
    var unescaped: [UInt8] = []

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position >= bytes.count }

    func error(_ code: WireJSONError.Code, _ reason: String) -> WireJSONError {
        WireJSONError(code, reason, at: position)
    }

    /// Moves past the byte just peeked at.
    mutating func advance(by count: Int = 1) {
        position += count
    }

    /// The next byte, or nil at the end.
    func peekByte() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// Skips whitespace and tells what kind of value starts next.
    mutating func peekKind() throws(WireJSONError) -> Kind {
        skipWhitespace()
        guard let byte = peekByte() else {
            throw error(.truncated, position == 0 ? "the body is empty" : "the JSON text ends where a value belongs")
        }
        switch byte {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: throw error(.syntax, "expected a JSON value")
        }
    }

    /// Throws a type mismatch unless the next value is of `kind`.
    mutating func expect(_ kind: Kind, _ expected: @autoclosure () -> String) throws(WireJSONError) {
        let found = try peekKind()
        guard found == kind else { throw error(.typeMismatch, "expected \(expected()), found \(found.phrase)") }
    }

    /// Checks that only whitespace follows the message.
    mutating func finish() throws(WireJSONError) {
        skipWhitespace()
        guard isAtEnd else { throw error(.trailingData, "unexpected data after the JSON value") }
    }

    // MARK: Objects and arrays

    mutating func beginObject(_ expected: @autoclosure () -> String = "an object") throws(WireJSONError)
        -> Container
    {
        try expect(.object, expected())
        try enterContainer()
        return Container()
    }

    /// Moves to the next member's name (true), or past the closing `}` (false).
    mutating func nextMember(_ container: inout Container) throws(WireJSONError) -> Bool {
        skipWhitespace()
        guard let byte = peekByte() else { throw error(.truncated, "the JSON text ends inside an object") }
        if byte == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return false
        }
        if container.count > 0 {
            guard byte == UInt8(ascii: ",") else { throw error(.syntax, "expected ',' or '}' after an object member") }
            position += 1
            skipWhitespace()
        }
        guard peekByte() == UInt8(ascii: "\"") else {
            throw isAtEnd
                ? error(.truncated, "the JSON text ends inside an object")
                : error(.syntax, "expected a member name (a string)")
        }
        container.count += 1
        return true
    }

    mutating func beginArray(_ expected: @autoclosure () -> String = "an array") throws(WireJSONError)
        -> Container
    {
        try expect(.array, expected())
        try enterContainer()
        return Container()
    }

    /// Moves to the next element (true), or past the closing `]` (false).
    mutating func nextElement(_ container: inout Container) throws(WireJSONError) -> Bool {
        skipWhitespace()
        guard let byte = peekByte() else { throw error(.truncated, "the JSON text ends inside an array") }
        if byte == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return false
        }
        if container.count > 0 {
            guard byte == UInt8(ascii: ",") else { throw error(.syntax, "expected ',' or ']' after an array element") }
            position += 1
            skipWhitespace()
            // `[1,]` is not JSON: a comma must be followed by an element.
            if peekByte() == UInt8(ascii: "]") { throw error(.syntax, "expected an array element after ','") }
        }
        container.count += 1
        return true
    }

    /// Consumes the `{` or `[` just peeked at, refusing to go deeper than `maxDepth`.
    private mutating func enterContainer() throws(WireJSONError) {
        guard depth < Self.maxDepth else {
            throw error(.tooDeep, "arrays and objects are nested deeper than \(Self.maxDepth) levels")
        }
        depth += 1
        position += 1
    }

    /// Consumes the `:` between a member's name and its value.
    mutating func consumeColon() throws(WireJSONError) {
        skipWhitespace()
        guard let byte = peekByte() else { throw error(.truncated, "the JSON text ends after a member name") }
        guard byte == UInt8(ascii: ":") else { throw error(.syntax, "expected ':' after a member name") }
        position += 1
    }

    // MARK: Literals

    mutating func readBool(_ expected: @autoclosure () -> String = "true or false") throws(WireJSONError) -> Bool {
        try expect(.bool, expected())
        if bytes[position] == UInt8(ascii: "t") {
            try consumeLiteral("true")
            return true
        }
        try consumeLiteral("false")
        return false
    }

    mutating func consumeLiteral(_ literal: StaticString) throws(WireJSONError) {
        let available = min(literal.utf8CodeUnitCount, bytes.count - position)
        let matches = literal.withUTF8Buffer { expected -> Bool in
            (0..<available).allSatisfy { bytes[position + $0] == expected[$0] }
        }
        guard matches else { throw error(.syntax, "expected the literal \(literal)") }
        guard available == literal.utf8CodeUnitCount else {
            throw error(.truncated, "the JSON text ends inside the literal \(literal)")
        }
        position += available
    }
}
