public import Foundation

/// Decides whether a token may be sent to a server URL.
///
/// HTTPS always may. Plain HTTP may only to loopback and private networks (a center's LAN),
/// unless the user explicitly passes `--insecure`: a token sent in clear over the internet
/// lets anyone on the path impersonate the node.
public enum RemoteAddressPolicy {
    public static func check(_ urlText: String, allowInsecure: Bool) throws(SyncClientError) -> URL {
        guard let url = URL(string: urlText), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty
        else {
            throw SyncClientError(
                .notConfigured,
                "'\(urlText)' is not a server URL; use e.g. https://hearth.example.org or http://192.168.1.10:8080")
        }
        switch scheme {
        case "https":
            return url
        case "http":
            if allowInsecure || isLocalOrPrivate(host: host) { return url }
            throw SyncClientError(
                .insecure,
                "refusing to send the node token over plain http to \(host), which is not on this machine or a private "
                    + "network; use https://, or pass --insecure if you accept the risk")
        default:
            throw SyncClientError(.notConfigured, "unsupported URL scheme '\(scheme)'; use https:// or http://")
        }
    }

    /// Loopback, RFC 1918 / RFC 6598 private IPv4, link-local, IPv6 unique-local, `localhost`.
    public static func isLocalOrPrivate(host rawHost: String) -> Bool {
        let host = rawHost.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host.hasSuffix(".localhost") { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        if octets.count == 4, host.split(separator: ".").count == 4 {
            switch (octets[0], octets[1]) {
            case (127, _), (10, _), (192, 168), (169, 254): return true
            case (172, 16...31): return true
            case (100, 64...127): return true
            default: return false
            }
        }
        if host.contains(":") {
            if host == "::1" { return true }
            return host.hasPrefix("fc") || host.hasPrefix("fd") || host.hasPrefix("fe8") || host.hasPrefix("fe9")
                || host.hasPrefix("fea") || host.hasPrefix("feb")
        }
        return false
    }
}
