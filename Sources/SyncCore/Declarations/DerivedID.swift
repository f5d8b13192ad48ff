import Crypto

/// Ids derived from a unique key, so the same pair gets the same id on every node.
public enum DerivedID {
    /// A UUID-shaped id from SHA-256 over the type name and the key values in order.
    public static func make(type: String, key: [String]) -> String {
        var bytes: [UInt8] = Array("hearth:\(type)".utf8)
        for part in key {
            bytes.append(0)
            bytes.append(contentsOf: part.utf8)
        }
        return UUIDText.fromHash(SHA256.hash(data: bytes))
    }
}
