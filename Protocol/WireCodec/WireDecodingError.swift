/// Why a change-carrying body (`PushRequest`, `PullResponse`) could not be read.
///
/// The two cases are two HTTP answers: a body that is not JSON of the message's shape is a
/// `400 bad_request`, a well-formed one with an invalid change a `422 invalid_change`
/// (PROTOCOL.md §6, §16.3). A body with both problems is malformed: shape is checked first.
public enum WireDecodingError: Error, Sendable, CustomStringConvertible {
    /// Not JSON, or JSON of the wrong shape: says what and where.
    case malformed(WireJSONError)
    /// Well-formed, but the first invalid change breaks the rules of PROTOCOL.md §6.
    case invalidChange(WireFormatError)

    public var description: String {
        switch self {
        case .malformed(let error): error.description
        case .invalidChange(let error): error.message
        }
    }
}
