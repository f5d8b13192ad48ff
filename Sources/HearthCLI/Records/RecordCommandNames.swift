public import SyncCore

/// The `hearth` command that lists each record type, for hints in refusals.
public enum RecordCommandNames {
    /// `hearth member list`, `hearth mutual-aid list`, …
    public static func list(_ type: String) -> String {
        switch type {
        case "enrolment": "hearth mutual-aid list"
        case "claim": "hearth mutual-aid list --claims"
        default: "hearth \(type) list"
        }
    }
}
