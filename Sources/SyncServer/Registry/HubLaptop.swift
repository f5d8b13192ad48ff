public import SyncCore

/// A laptop registered at a hub, as the hub tells its upstream about it (`POST /v1/hub/laptops`).
///
/// The upstream registers it as the hub's laptop: the hub may then forward its writes, and the
/// laptop may sync with the upstream directly, with the token its hub issued (the upstream gets
/// the token's id and hash, never the token).
public struct HubLaptop: Sendable, Hashable {
    public var id: NodeID
    public var name: String
    public var tokenID: String
    /// SHA-256 of the token's secret.
    public var tokenHash: [UInt8]
    /// Its writer identities, its node id among them.
    public var writers: [NodeID]
    /// Ed25519 public keys (hex) that sign its change files.
    public var signingKeys: [String]
    public var revoked: Bool
    /// An upstream feed position before which the laptop holds everything (0: none).
    public var vouchedCursor: Int64
    /// Writer identity → write number up to which all its writes have reached the upstream.
    public var settled: [NodeID: UInt64]

    public init(
        id: NodeID, name: String, tokenID: String, tokenHash: [UInt8], writers: [NodeID], signingKeys: [String],
        revoked: Bool, vouchedCursor: Int64 = 0, settled: [NodeID: UInt64] = [:]
    ) {
        self.id = id
        self.name = name
        self.tokenID = tokenID
        self.tokenHash = tokenHash
        self.writers = writers
        self.signingKeys = signingKeys
        self.revoked = revoked
        self.vouchedCursor = vouchedCursor
        self.settled = settled
    }
}
