public import SyncCore

/// The record types of the union's service centers: members, activities and participation, and
/// the casework the yearly report quotes (legal-aid and assistance cases, mutual-aid insurance
/// enrolments and claims, vocational certificates).
///
/// Each is a declaration plus validation; the sync code knows nothing specific about them.
/// Amounts of money are whole fen (1 yuan = 100 fen) in integer fields named `…Fen`: exact, never
/// floating point, and a kind every older node already knows.
public enum HearthSchema {
    /// The version of these declarations; raise it whenever a type or a field is added.
    public static let catalogVersion = 2

    public static let member = RecordType(
        name: "member",
        fields: [
            FieldSpec("name", .text, required: true, personal: true),
            FieldSpec("gender", .text, personal: true),
            FieldSpec("phone", .phone, personal: true),
            FieldSpec("employer", .text, personal: true),
            FieldSpec("center", .text),
            FieldSpec("residency", .choice(["local", "nonlocal"])),
            FieldSpec("joinedOn", .date),
            FieldSpec("skills", .text, personal: true, maxBytes: FieldSpec.longTextBytes),
            FieldSpec("notes", .text, personal: true, maxBytes: FieldSpec.longTextBytes),
        ],
        searchFields: ["name", "phone", "employer", "skills"],
        labelField: "name",
        indexedFields: ["center"]
    )

    public static let activityKinds = ["contest", "training", "legal-aid", "holiday", "culture", "assistance", "other"]

    public static let activity = RecordType(
        name: "activity",
        fields: [
            FieldSpec("title", .text, required: true),
            FieldSpec("kind", .choice(activityKinds), required: true),
            FieldSpec("center", .text),
            FieldSpec("location", .text),
            FieldSpec("startsAt", .timestamp, required: true),
            FieldSpec("endsAt", .timestamp),
            FieldSpec("capacity", .integer(minimum: 0)),
            FieldSpec("description", .text, maxBytes: FieldSpec.longTextBytes),
        ],
        searchFields: ["title", "location", "description"],
        labelField: "title",
        indexedFields: ["startsAt"],
        rules: [
            RecordType.Rule { values in
                guard let starts = values["startsAt"]?.text.flatMap(ISOTimestamp.init(parsing:)),
                    let ends = values["endsAt"]?.text.flatMap(ISOTimestamp.init(parsing:))
                else { return nil }
                return ends < starts ? "endsAt (\(ends.text)) is before startsAt (\(starts.text))" : nil
            }
        ]
    )

    public static let participationStatuses = ["registered", "attended", "cancelled"]

    public static let participation = RecordType(
        name: "participation",
        fields: [
            FieldSpec("memberId", .reference("member"), required: true),
            FieldSpec("activityId", .reference("activity"), required: true),
            FieldSpec("status", .choice(participationStatuses), required: true),
            FieldSpec("checkedInAt", .timestamp),
        ],
        identity: .derived(from: ["memberId", "activityId"]),
        indexedFields: ["activityId", "memberId"]
    )

    /// All types, in the order sync sends them (referenced types first).
    public static let all: [RecordType] = [member, activity, participation] + casework

    /// The casework types (see `HearthSchema+Casework.swift`).
    public static let casework: [RecordType] = [assistanceCase, enrolment, claim, certificate]
}
