public import Foundation
public import HearthProtocol
public import Replica

/// The server a replica syncs with, kept inside the replica file (mode 0600).
///
/// The token has to be kept in a form the node can present, so it is stored as given; the
/// file's permissions protect it, and it is never printed or logged.
public struct RemoteSettings: Sendable, Hashable {
    public var serverURL: String
    public var token: String
    /// The user allowed plain HTTP to a public host (`--insecure`).
    public var allowInsecure: Bool

    public init(serverURL: String, token: String, allowInsecure: Bool) {
        self.serverURL = serverURL
        self.token = token
        self.allowInsecure = allowInsecure
    }

    public static func load(from replica: Replica) throws -> RemoteSettings? {
        try replica.read { reader in
            guard let url = try reader.setting("server_url"), let token = try reader.setting("server_token") else {
                return nil
            }
            return RemoteSettings(
                serverURL: url, token: token, allowInsecure: try reader.setting("server_insecure") == "yes")
        }
    }

    public func save(to replica: Replica) throws {
        try replica.write { transaction in
            try transaction.setSetting("server_url", serverURL)
            try transaction.setSetting("server_token", token)
            try transaction.setSetting("server_insecure", allowInsecure ? "yes" : "no")
        }
    }

    /// The HTTP transport for these settings, after the plain-HTTP check.
    public func transport() throws -> HTTPSyncTransport {
        HTTPSyncTransport(baseURL: try RemoteAddressPolicy.check(serverURL, allowInsecure: allowInsecure), token: token)
    }

    /// Asks the server who the token belongs to, checking the URL policy first.
    public func session() async throws -> (url: URL, nodeID: String, name: String, response: SessionResponse) {
        let transport = try transport()
        let session = try await transport.session()
        return (
            try RemoteAddressPolicy.check(serverURL, allowInsecure: allowInsecure), session.nodeId, session.name,
            session
        )
    }
}
