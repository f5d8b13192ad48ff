import Foundation
public import HearthProtocol
public import SyncCore

/// How `hearth-server node …` and a hub's `hearth node …` print registered nodes and tokens.
public enum NodeListing {
    /// A newly issued token, shown this once, with its node and what to do with it.
    public static func issued(_ node: RegisteredNode, token: String, json: Bool, then hint: String) -> String {
        if json {
            return #"{"nodeId":"\#(node.id)","name":\#(jsonString(node.name)),"token":"\#(token)"}"#
        }
        return "node:  \(node.id)  \(node.name)\ntoken: \(token)\nThe token is shown only once. \(hint)"
    }

    /// Every node, one line each (or a JSON array); `empty` is printed when there are none.
    public static func list(_ nodes: [RegisteredNode], json: Bool, empty: String) -> String {
        if json {
            let items = nodes.map { node in
                "{\"nodeId\":\"\(node.id)\",\"name\":\(jsonString(node.name)),\"forward\":\(node.canForward),"
                    + "\"hub\":\(node.hubID.map { "\"\($0)\"" } ?? "null"),"
                    + "\"lastSeenAt\":\(node.lastSeenAt.map(String.init) ?? "null"),\"lastPullCursor\":\(node.lastPullCursor),"
                    + "\"pushedChanges\":\(node.pushedChanges),\"revoked\":\(node.isRevoked)}"
            }
            return "[" + items.joined(separator: ",") + "]"
        }
        if nodes.isEmpty { return empty }
        return nodes.map { node in
            let seen = node.lastSeenAt.map { formatTime($0) } ?? "never"
            let state =
                node.isRevoked
                ? "  REVOKED" : (node.canForward ? "  hub" : node.hubID.map { "  laptop of \($0.short)" } ?? "")
            return
                "\(node.id)  \(node.name)  last seen \(seen)  pulled to \(node.lastPullCursor)  pushed \(node.pushedChanges)\(state)"
        }.joined(separator: "\n")
    }

    /// A JSON string literal of `text`.
    public static func jsonString(_ text: String) -> String {
        guard let data = try? JSONEncoder().encode(text) else { return "\"\"" }
        return String(decoding: data, as: UTF8.self)
    }

    static func formatTime(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = .current
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}

extension HubLaptop {
    /// The laptop as `POST /v1/hub/laptops` carries it.
    public var wire: HubLaptopsRequest.Laptop {
        HubLaptopsRequest.Laptop(
            nodeId: id.rawValue, name: name, tokenId: tokenID, tokenHash: HexBytes.encode(tokenHash),
            writers: writers.map(\.rawValue), signingKeys: signingKeys, revoked: revoked,
            vouchedCursor: vouchedCursor,
            settled: Dictionary(uniqueKeysWithValues: settled.map { ($0.key.rawValue, $0.value) }))
    }
}
