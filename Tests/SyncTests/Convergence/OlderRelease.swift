import Replica
import SyncCore

/// The declarations of an older Hearth, for nodes that have not been upgraded yet: members
/// without the `notes` field, and none of the casework types (catalog version 1).
///
/// A node on it keeps what newer nodes write there opaquely (a `notes` value in the member's
/// kept fields, a case in a kept table), forwards it, counts it in its digest, and shows it once
/// it is reopened with `RecordCatalog.hearth` (`Replica.open(at:catalog:)`).
enum OlderRelease {
    /// The member field this release does not declare.
    static let missingField = "notes"

    static let member: RecordType = {
        var member = HearthSchema.member
        member.fields.removeAll { $0.name == missingField }
        return member
    }()

    static let catalog = RecordCatalog([member, HearthSchema.activity, HearthSchema.participation], version: 1)
}
