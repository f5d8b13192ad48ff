/// The version of the sync protocol, sent on every request in the `Hearth-Protocol` header.
public enum ProtocolVersion {
    /// The version this build speaks.
    public static let current = 3
    /// The oldest client version this build's server still serves.
    public static let oldestSupported = 3
    /// The request header that names the version.
    public static let header = "Hearth-Protocol"
}
