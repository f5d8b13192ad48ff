public import SyncCore

extension HearthSchema {
    /// What a case is about: legal aid for one worker, a (collective) labour dispute, a free review
    /// of an enterprise's work rules, hardship aid, a job referral, or a consultation.
    public static let caseKinds = [
        "legal-aid", "labour-dispute", "rules-review", "hardship-aid", "job-referral", "consultation",
    ]

    public static let caseStatuses = ["open", "closed", "withdrawn"]

    /// A legal-aid or assistance case. `close` is an ordinary edit of `status` and `closedOn`.
    public static let assistanceCase = RecordType(
        name: "case",
        fields: [
            FieldSpec("kind", .choice(caseKinds), required: true),
            FieldSpec("memberId", .reference("member")),
            FieldSpec("enterprise", .text),
            FieldSpec("center", .text),
            FieldSpec("openedOn", .date, required: true),
            FieldSpec("closedOn", .date),
            FieldSpec("status", .choice(caseStatuses), required: true),
            FieldSpec("workers", .integer(minimum: 0)),
            FieldSpec("amountFen", .integer(minimum: 0)),
            FieldSpec("outcome", .text, personal: true, maxBytes: FieldSpec.longTextBytes),
            FieldSpec("notes", .text, personal: true, maxBytes: FieldSpec.longTextBytes),
        ],
        searchFields: ["enterprise", "outcome", "notes"],
        labelField: "openedOn",
        indexedFields: ["openedOn", "memberId"],
        rules: [
            RecordType.Rule { values in
                guard let opened = values["openedOn"]?.text, let closed = values["closedOn"]?.text else { return nil }
                return closed < opened ? "closedOn (\(closed)) is before openedOn (\(opened))" : nil
            },
            RecordType.Rule { values in
                values["status"]?.text == "closed" && (values["closedOn"] ?? .null).isNull
                    ? "a closed case needs closedOn; close it with `hearth case close ID --on DATE`" : nil
            },
        ]
    )

    /// A member's enrolment in the workers' mutual-aid insurance plan for one plan year.
    ///
    /// Identified by (member, plan year), so one person enrolled for the same year on two nodes
    /// offline is one enrolment, not two.
    public static let enrolment = RecordType(
        name: "enrolment",
        fields: [
            FieldSpec("memberId", .reference("member"), required: true),
            FieldSpec("planYear", .integer(minimum: 2000), required: true),
            FieldSpec("paidInFen", .integer(minimum: 0), required: true),
            FieldSpec("center", .text),
        ],
        identity: .derived(from: ["memberId", "planYear"]),
        indexedFields: ["memberId", "planYear"]
    )

    /// A claim paid out of the mutual-aid plan on an enrolment.
    public static let claim = RecordType(
        name: "claim",
        fields: [
            FieldSpec("enrolmentId", .reference("enrolment"), required: true),
            FieldSpec("paidOn", .date, required: true),
            FieldSpec("amountFen", .integer(minimum: 0), required: true),
            FieldSpec("reason", .text, personal: true, maxBytes: FieldSpec.longTextBytes),
        ],
        labelField: "paidOn",
        indexedFields: ["enrolmentId"]
    )

    /// National vocational qualification levels, from 5 (junior) to 1 (senior technician).
    public static let certificateLevels = ["junior", "intermediate", "senior", "technician", "senior-technician"]

    /// A national vocational certificate a member gained, with the contest or training that led to it.
    public static let certificate = RecordType(
        name: "certificate",
        fields: [
            FieldSpec("memberId", .reference("member"), required: true),
            FieldSpec("activityId", .reference("activity")),
            FieldSpec("trade", .text, required: true),
            FieldSpec("level", .choice(certificateLevels)),
            FieldSpec("issuedOn", .date, required: true),
        ],
        searchFields: ["trade"],
        labelField: "issuedOn",
        indexedFields: ["memberId", "trade"]
    )
}
