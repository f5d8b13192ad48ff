import Foundation
public import Replica
public import SyncCore

/// A node the server knows: its identity, its sync positions, and whether it may still sync.
public struct RegisteredNode: Sendable, Hashable {
    public var id: NodeID
    public var name: String
    /// A hub may forward the changes of its own laptops (the nodes registered with it as `hub`).
    public var canForward: Bool
    /// The hub this node (a laptop) may also sync through, which may then forward its writes.
    public var hubID: NodeID?
    public var createdAt: Int64
    /// Milliseconds since 1970 on the server's clock, nil before the first request.
    public var lastSeenAt: Int64?
    /// The feed position of the node's last pull.
    public var lastPullCursor: Int64
    /// How many changes the node has pushed, in total.
    public var pushedChanges: Int64
    public var revokedAt: Int64?

    public var isRevoked: Bool { revokedAt != nil }

    public init(
        id: NodeID, name: String, canForward: Bool, hubID: NodeID?, createdAt: Int64, lastSeenAt: Int64?,
        lastPullCursor: Int64, pushedChanges: Int64, revokedAt: Int64?
    ) {
        self.id = id
        self.name = name
        self.canForward = canForward
        self.hubID = hubID
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.lastPullCursor = lastPullCursor
        self.pushedChanges = pushedChanges
        self.revokedAt = revokedAt
    }
}

extension RegisteredNode {
    /// A node about to be registered, with its new token: the name trimmed and required, the id
    /// kept (a replica created offline) or new. Every store registers nodes from this.
    public static func newcomer(name: String, canForward: Bool, id: NodeID?, hub: NodeID?, at time: Int64)
        throws(ReplicaError) -> (node: RegisteredNode, token: NodeToken)
    {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ReplicaError(.invalidInput, "the node name must not be empty") }
        let node = RegisteredNode(
            id: id ?? .random(), name: trimmed, canForward: canForward, hubID: hub, createdAt: time, lastSeenAt: nil,
            lastPullCursor: 0, pushedChanges: 0, revokedAt: nil)
        return (node, NodeToken.generate())
    }
}
