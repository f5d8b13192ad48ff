public import Replica
import SyncCore

/// Finds the member a person at the desk means: by id, or by phone number.
///
/// Phone numbers are compared by their digits, as the member import matches them
/// ("138 0000 0000" finds a member stored as "13800000000"). Messages name ids and counts,
/// never the number typed.
public struct MemberLookup {
    public let reader: ReplicaReader

    public init(_ reader: ReplicaReader) {
        self.reader = reader
    }

    /// The id of the live member `reference` names: a member id (a UUID), or a phone number that
    /// exactly one live member has.
    ///
    /// Refuses (`.notFound`) a phone number no member has, suggesting the walk-in check-in, and
    /// (`.refused`) one several members share, listing their ids.
    public func memberID(for reference: String) throws -> String {
        let trimmed = reference.trimmingWhitespaceAndNewlines()
        if let id = UUIDText.normalise(trimmed) { return id }
        guard (try? HearthSchema.member.parse("phone", text: trimmed)) != nil else {
            throw ReplicaError(
                .invalidInput,
                "that is not a member id (a UUID) or a phone number; "
                    + "find the id with `hearth member list --search TEXT`")
        }
        let ids = try members(withPhone: trimmed).map(\.id)
        switch ids.count {
        case 1:
            return ids[0]
        case 0:
            throw ReplicaError(
                .notFound,
                "no member has that phone number; check the number, or add the person, register and check "
                    + "them in at once with `hearth checkin --walk-in --name NAME --phone PHONE ACTIVITY`")
        default:
            throw ReplicaError(
                .refused,
                "that phone number belongs to \(ids.count) members (\(ids.joined(separator: ", "))); "
                    + "give the member's id instead")
        }
    }

    /// Live members whose phone number has the digits of `phone`, by name.
    public func members(withPhone phone: String) throws -> [RecordSnapshot] {
        let digits = SpreadsheetText.phoneDigits(phone)
        guard !digits.isEmpty else { return [] }
        return try reader.list(HearthSchema.member).filter {
            $0["phone"].text.map(SpreadsheetText.phoneDigits) == digits
        }
    }
}
