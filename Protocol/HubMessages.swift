/// `POST /v1/hub/laptops`: a hub (a node registered to forward) tells the server about the
/// laptops registered at it, before it forwards their writes, and what it can vouch for.
///
/// The server registers each laptop as that hub's, so that the hub may forward its writes and
/// the laptop may later sync with the server directly using the token it got from its hub.
public struct HubLaptopsRequest: Codable, Sendable {
    public struct Laptop: Codable, Sendable, Hashable {
        public var nodeId: String
        public var name: String
        /// The laptop's token as the hub stores it: its public id and the SHA-256 of its secret
        /// (hex). The token itself never leaves the laptop and the hub's registration screen.
        public var tokenId: String
        public var tokenHash: String
        /// The laptop's writer identities (PROTOCOL.md §16.2), its node id first.
        public var writers: [String]
        /// The laptop's Ed25519 public keys (hex) that sign its change files (§23).
        public var signingKeys: [String]
        /// The hub revoked the laptop: the server revokes it too.
        public var revoked: Bool
        /// A position of the server's feed such that the laptop holds everything before it: it
        /// caught up with the hub after the hub had caught up with the server from there (0: none).
        public var vouchedCursor: Int64
        /// Writer identity → the write number up to which every write of it has reached the
        /// server through the hub (§22.2).
        public var settled: [String: UInt64]

        public init(
            nodeId: String, name: String, tokenId: String, tokenHash: String, writers: [String],
            signingKeys: [String], revoked: Bool, vouchedCursor: Int64 = 0, settled: [String: UInt64] = [:]
        ) {
            self.nodeId = nodeId
            self.name = name
            self.tokenId = tokenId
            self.tokenHash = tokenHash
            self.writers = writers
            self.signingKeys = signingKeys
            self.revoked = revoked
            self.vouchedCursor = vouchedCursor
            self.settled = settled
        }
    }

    public var laptops: [Laptop]

    public init(laptops: [Laptop]) { self.laptops = laptops }
}

/// The answer to `POST /v1/hub/laptops`: each laptop is registered (or updated), or refused
/// with the reason; one refusal does not stop the others.
public struct HubLaptopsResponse: Codable, Sendable {
    public struct Refusal: Codable, Sendable, Hashable {
        public var nodeId: String
        public var message: String

        public init(nodeId: String, message: String) {
            self.nodeId = nodeId
            self.message = message
        }
    }

    public var registered: Int
    public var refused: [Refusal]

    public init(registered: Int, refused: [Refusal]) {
        self.registered = registered
        self.refused = refused
    }
}
