import SyncCore

/// A body that is not JSON, or JSON of the wrong shape for the message being read (HTTP 400).
///
/// Says what was wrong and where, by path (`.changes[3].fields.phone[0].counter`) and byte
/// offset, and never quotes the body: bodies carry personal names and phone numbers. Map keys
/// that are not plain identifiers are withheld from the path for the same reason.
public struct WireJSONError: Error, Sendable, CustomStringConvertible {
    /// The kind of problem; new kinds may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case truncated, syntax, typeMismatch, notAnInteger, outOfRange, invalidEscape, loneSurrogate
            case invalidUTF8, controlCharacter, missingMember, tooDeep, trailingData
        }
        private let base: Base

        /// The body ends in the middle of a value (or is empty).
        public static var truncated: Self { .init(base: .truncated) }
        /// A byte that JSON does not allow here: a missing comma or colon, a bad literal or number.
        public static var syntax: Self { .init(base: .syntax) }
        /// Valid JSON of another type than the message needs (a string where an object belongs).
        public static var typeMismatch: Self { .init(base: .typeMismatch) }
        /// A number with a fraction or exponent where the protocol needs an integer.
        public static var notAnInteger: Self { .init(base: .notAnInteger) }
        /// An integer that does not fit the member's 64-bit type (or a negative counter).
        public static var outOfRange: Self { .init(base: .outOfRange) }
        /// A backslash escape JSON does not define, or a malformed `\uXXXX`.
        public static var invalidEscape: Self { .init(base: .invalidEscape) }
        /// A `\u` escape of half a UTF-16 surrogate pair without its other half.
        public static var loneSurrogate: Self { .init(base: .loneSurrogate) }
        /// String bytes that are not UTF-8.
        public static var invalidUTF8: Self { .init(base: .invalidUTF8) }
        /// A raw control character (below U+0020) inside a string; JSON needs it escaped.
        public static var controlCharacter: Self { .init(base: .controlCharacter) }
        /// An object lacks a member the message requires.
        public static var missingMember: Self { .init(base: .missingMember) }
        /// Arrays or objects nested deeper than `JSONReader.maxDepth`.
        public static var tooDeep: Self { .init(base: .tooDeep) }
        /// Something other than whitespace follows the message.
        public static var trailingData: Self { .init(base: .trailingData) }

        public var description: String { base.rawValue }
    }

    /// One step of the path to the failing value.
    enum PathComponent: Sendable {
        case member(String)
        case index(Int)
    }

    public var code: Code
    /// What was wrong, without the offending bytes: "expected an integer, found a string".
    public var reason: String
    /// Where in the body (bytes from its start) the problem was found.
    public var offset: Int
    /// Innermost component first: errors gain their path while they travel out of the decoder.
    var reversedPath: [PathComponent] = []

    init(_ code: Code, _ reason: String, at offset: Int) {
        self.code = code
        self.reason = reason
        self.offset = offset
    }

    /// Where the problem is, as a path from the message's root: `.changes[3].fields.phone[0]`.
    public var path: String {
        var text = ""
        for component in reversedPath.reversed() {
            switch component {
            case .index(let index): text += "[\(index)]"
            case .member(let name): text += Self.isShowable(name) ? ".\(name)" : ".<key>"
            }
        }
        return text
    }

    /// "problem at .changes[3].fields.phone[0].counter: expected an integer, found a string (byte 812)".
    public var description: String {
        let place = path
        return "\(place.isEmpty ? "problem" : "problem at \(place)"): \(reason) (byte \(offset))"
    }

    /// The same error one level further out: `inside(.index(3))` when leaving element 3 of an array.
    func inside(_ component: PathComponent) -> Self {
        var copy = self
        copy.reversedPath.append(component)
        return copy
    }

    /// Protocol names, field names (identifiers) and node ids (UUIDs) are safe to show; anything
    /// else, digits first in particular (phone and ID numbers), may be personal data.
    static func isShowable(_ key: String) -> Bool {
        if key.utf8.count == 36, UUIDText.normalise(key) != nil { return true }
        guard let first = key.utf8.first, key.utf8.count <= 64 else { return false }
        func isLetter(_ byte: UInt8) -> Bool {
            (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
        }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        return (isLetter(first) || first == UInt8(ascii: "_"))
            && key.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }
}
