public import Foundation
public import Replica

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns the bytes of a spreadsheet export into text, recognising the encodings staff actually have.
///
/// Chinese Excel saves "CSV (comma delimited)" in GBK (the code page of Simplified Chinese Windows)
/// and "CSV UTF-8" with a byte-order mark; other tools write plain UTF-8. The rule, in order:
/// a UTF-8 BOM means UTF-8; bytes that are valid UTF-8 are UTF-8 (GBK text of any length almost
/// never is); anything else is decoded as GB18030, the superset of GBK and GB2312. GB18030 is
/// decoded with the C library's `iconv` (glibc's is complete on Debian), because
/// swift-corelibs-foundation offers GB18030 only through an undocumented encoding number.
public enum TextDecoding {
    /// How a file's bytes were read.
    public enum Encoding: String, Sendable, Hashable, CustomStringConvertible {
        case utf8WithBOM = "utf-8-bom"
        case utf8 = "utf-8"
        case gb18030 = "gb18030"

        /// The name people know the encoding by.
        public var description: String {
            switch self {
            case .utf8WithBOM: "UTF-8 with BOM"
            case .utf8: "UTF-8"
            case .gb18030: "GB18030/GBK"
            }
        }
    }

    /// Decoded text and the encoding it was found in.
    public struct Decoded: Sendable, Hashable {
        public var text: String
        public var encoding: Encoding
    }

    /// Decodes `data` by the rule above; `source` names the file in error messages.
    ///
    /// Throws `.invalidInput` when the bytes are neither UTF-8 nor GB18030 (a UTF-16 file, a
    /// binary workbook saved as .csv by mistake), saying at which byte and line decoding failed.
    public static func decode(_ data: Data, source: String) throws(ReplicaError) -> Decoded {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = bytes[3...]
            guard let text = String(validating: body, as: UTF8.self) else {
                let offset = firstInvalidUTF8Offset(body) ?? 0
                throw ReplicaError(
                    .invalidInput,
                    "\(source) starts with a UTF-8 byte-order mark but is not valid UTF-8 "
                        + "(\(position(of: offset + 3, in: bytes))); save it again as \"CSV UTF-8\"")
            }
            return Decoded(text: text, encoding: .utf8WithBOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw ReplicaError(
                .invalidInput,
                "\(source) is UTF-16 (Excel's \"Unicode text\"); save it as \"CSV UTF-8\" or \"CSV (comma delimited)\"")
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return Decoded(text: text, encoding: .utf8)
        }
        return Decoded(text: try decodeGB18030(bytes, source: source), encoding: .gb18030)
    }

    /// Decodes GB18030 (and so GBK and GB2312) bytes with `iconv`, refusing invalid sequences.
    public static func decodeGB18030(_ bytes: [UInt8], source: String) throws(ReplicaError) -> String {
        let converter = iconv_open("UTF-8", "GB18030")
        guard converter != iconv_t(bitPattern: -1) else {
            throw ReplicaError(
                .invalidInput,
                "\(source) is not UTF-8, and this system cannot decode GB18030/GBK (iconv has no GB18030); "
                    + "save the file as \"CSV UTF-8\"")
        }
        defer { iconv_close(converter) }
        // Each GB18030 sequence of n bytes becomes at most ceil(1.5 n) UTF-8 bytes.
        var output = [UInt8](repeating: 0, count: bytes.count + bytes.count / 2 + 16)
        var input = bytes
        var failure: (offset: Int, code: Int32)?
        var produced = 0
        input.withUnsafeMutableBytes { inputBuffer in
            output.withUnsafeMutableBytes { outputBuffer in
                let inputBase = inputBuffer.baseAddress!.assumingMemoryBound(to: CChar.self)
                var inPointer: UnsafeMutablePointer<CChar>? = inputBase
                var inLeft = inputBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = outputBuffer.baseAddress!
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outputBuffer.count
                if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 {
                    failure = (inPointer.map { inputBase.distance(to: $0) } ?? 0, errno)
                }
                produced = outputBuffer.count - outLeft
            }
        }
        if let failure {
            let problem =
                failure.code == EINVAL ? "ends in the middle of a character" : "has a byte sequence that is not"
            throw ReplicaError(
                .invalidInput,
                "\(source) is neither UTF-8 nor GB18030/GBK: it \(problem) GB18030 "
                    + "(\(position(of: failure.offset, in: bytes))); save it as \"CSV UTF-8\" and try again")
        }
        return String(decoding: output[..<produced], as: UTF8.self)
    }

    /// "line L, byte B" for a byte offset, counting lines by LF (ASCII in every supported encoding).
    static func position(of offset: Int, in bytes: [UInt8]) -> String {
        let line = bytes[..<min(offset, bytes.count)].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        return "line \(line), byte \(offset + 1)"
    }

    static func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int? {
        var offset = 0
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
