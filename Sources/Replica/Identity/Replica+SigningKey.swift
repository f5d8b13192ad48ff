public import SyncCore

/// The key this node signs its change files with (PROTOCOL.md §23).
///
/// Kept in the replica's settings, so it is as private as the replica file (mode 0600) and
/// goes with it; a replica made by an older Hearth gets one the first time it is asked for.
/// A re-installed node has a new key: its upstream keeps every key a node presented.
extension Replica {
    static let signingKeyKey = "signing_key"

    public func signingKey() throws(ReplicaError) -> NodeSigningKey {
        let kept = try read { reader in try reader.setting(Self.signingKeyKey) }
        if let kept, let key = NodeSigningKey(hex: kept) { return key }
        return try write { transaction in
            // Another process may have made it meanwhile: keep the first.
            if let kept = try transaction.setting(Self.signingKeyKey), let key = NodeSigningKey(hex: kept) {
                return key
            }
            let key = NodeSigningKey()
            try transaction.setSetting(Self.signingKeyKey, key.hex)
            return key
        }
    }
}

extension Replica {
    /// The settings key of the node id of the server (or hub) this replica last synced with.
    public static let upstreamNodeKey = "upstream_node_id"

    /// The node id of the server (or hub) this replica last synced with; nil before a sync.
    public func upstreamNodeID() throws(ReplicaError) -> NodeID? {
        try read { reader in try reader.setting(Self.upstreamNodeKey).flatMap(NodeID.init) }
    }
}

extension Replica {
    /// The settings key of the public key the upstream (a hub) signs its change files with.
    public static let upstreamSigningKeyKey = "upstream_signing_key"

    /// The public key the upstream hub signs its change files with; nil when it has none.
    public func upstreamSigningKey() throws(ReplicaError) -> SigningPublicKey? {
        try read { reader in try reader.setting(Self.upstreamSigningKeyKey).flatMap(SigningPublicKey.init(hex:)) }
    }
}
