import Foundation
import HearthCLI
import Replica
import SyncClient
import SyncCore

/// The sync part of `hearth status`: server, last sync, pending records, divergence, clock.
enum SyncStatus {
    static func lines(for replica: Replica) throws -> [StatusReport.Line] {
        let settings = try RemoteSettings.load(from: replica)
        let (lastSync, match, skew, cursor, refusals) = try replica.read { reader in
            (
                try reader.setting("last_sync_at").flatMap(Int64.init), try reader.setting("last_sync_digest_match"),
                try reader.setting("last_clock_skew_ms").flatMap(Int64.init),
                try reader.setting("pull_cursor").flatMap(Int64.init), try reader.pushRefusals()
            )
        }
        let (serverCatalog, kept) = try replica.read { reader in
            (try reader.setting("server_catalog_version").flatMap(Int.init), try reader.keptForNewerReleaseCount())
        }
        var lines: [StatusReport.Line] = [
            .init(key: "server", label: "server", value: .string(orNull: settings?.serverURL)),
            .init(
                key: "serverNode", label: "server's node id",
                value: .string(orNull: try replica.upstreamNodeID()?.rawValue)),
            .init(key: "lastSyncAt", label: "last sync", value: .string(orNull: lastSync.map(format))),
            .init(
                key: "pendingRecords", label: "records to push",
                value: .integer(Int64(try replica.pendingRecordCount()))),
            .init(key: "pullCursor", label: "pulled up to", value: .integer(cursor ?? 0)),
            .init(
                key: "refusedChanges", label: "refused by the server",
                value: .array(
                    refusals.map { refusal in
                        .object([
                            "type": .string(refusal.recordType), "id": .string(refusal.recordID),
                            "code": .string(refusal.code), "reason": .string(refusal.message),
                        ])
                    })),
        ]
        lines.append(
            .init(key: "catalogVersion", label: "record declarations", value: .integer(Int64(replica.catalog.version))))
        lines.append(
            .init(
                key: "serverCatalogVersion", label: "server's declarations",
                value: serverCatalog.map { .integer(Int64($0)) } ?? .null))
        lines.append(
            .init(key: "keptForNewerRelease", label: "records kept for a newer Hearth", value: .integer(Int64(kept))))
        lines.append(
            .init(
                key: "tombstones", label: "deleted, not yet seen by every node",
                value: .integer(Int64(try replica.tombstoneCount()))))
        if let serverCatalog, serverCatalog > replica.catalog.version {
            StandardError.write(
                "warning: the server knows newer record types or fields (declarations \(serverCatalog), this node "
                    + "\(replica.catalog.version)): upgrade Hearth on this node to see them; until then they are kept "
                    + "here unchanged and nothing is lost")
        } else if kept > 0 {
            StandardError.write(
                "note: \(kept) record(s) hold types or fields this Hearth does not declare; they are kept and synced "
                    + "unchanged; upgrade Hearth to see them")
        }
        for refusal in refusals.prefix(20) {
            StandardError.write("warning: the server refused a change of this node (kept pending): \(refusal.message)")
        }
        let digestValue: JSONValue = match == "yes" ? .bool(true) : match == "no" ? .bool(false) : .null
        lines.append(.init(key: "digestMatchedServer", label: "digest at last sync", value: digestValue))
        if match == "no" {
            StandardError.write(
                "warning: DIVERGENCE: at the last sync this replica's digest differed from the server's; run `hearth check`"
            )
        }
        if let skew, abs(skew) > SyncReport.clockSkewWarningMilliseconds {
            lines.append(.init(key: "clockSkewMs", label: "clock skew", value: .integer(skew)))
            StandardError.write(
                "warning: this computer's clock was \(skew / 60_000) minutes off the server's at the last sync")
        }
        return lines
    }

    static func format(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = .current
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
