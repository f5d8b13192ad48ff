extension FederationReport {
    /// `hearth report --json`: every figure, counts as numbers and money as whole fen (`…Fen`).
    public var json: JSONValue {
        func int(_ value: Int) -> JSONValue { .integer(Int64(value)) }
        func tally(_ row: ActivityTally, key: String) -> JSONValue {
            .object([
                key: .string(row.key), "activities": int(row.activities), "registered": int(row.registered),
                "attended": int(row.attended),
            ])
        }
        func year(_ row: MutualAidYear) -> JSONValue {
            .object([
                "year": .integer(row.year), "enrolments": int(row.enrolments), "paidInFen": .integer(row.paidInFen),
                "claims": int(row.claims), "claimsPaidFen": .integer(row.claimsPaidFen),
            ])
        }
        func members(_ row: MemberTally) -> JSONValue {
            .object([
                "center": .string(row.center), "total": int(row.total), "local": int(row.local),
                "nonlocal": int(row.nonlocal),
            ])
        }
        let disputes = disputes
        return .object([
            "scope": .object([
                "from": .string(orNull: scope.from), "to": .string(orNull: scope.to),
                "center": .string(orNull: scope.center),
            ]),
            "members": .object([
                "total": int(self.members.total), "local": int(self.members.local),
                "nonlocal": int(self.members.nonlocal), "byCenter": .array(membersByCenter.map(members)),
            ]),
            "activities": .object([
                "activities": int(activities.activities), "registered": int(activities.registered),
                "attended": int(activities.attended),
                "byKind": .array(activitiesByKind.map { tally($0, key: "kind") }),
                "byCenter": .array(activitiesByCenter.map { tally($0, key: "center") }),
                "byMonth": .array(activitiesByMonth.map { tally($0, key: "month") }),
                "largest": .array(
                    largestEvents.map { event in
                        .object([
                            "title": .string(event.title), "kind": .string(event.kind), "center": .string(event.center),
                            "startsAt": .string(event.startsAt), "registered": int(event.registered),
                            "attended": int(event.attended),
                        ])
                    }),
            ]),
            "certificates": .object([
                "total": int(certificates),
                "byTrade": .array(
                    certificatesByTrade.map { .object(["trade": .string($0.trade), "count": int($0.count)]) }),
            ]),
            "legalAid": .object([
                "workersServed": int(legalAidWorkers),
                "disputes": .object([
                    "cases": int(disputes.cases), "workers": int(disputes.workers),
                    "amountFen": .integer(disputes.amountFen),
                ]),
                "enterprisesReviewed": int(enterprisesReviewed.count),
                "byKind": .array(
                    casesByKind.map { row in
                        .object([
                            "kind": .string(row.kind), "cases": int(row.cases), "workers": int(row.workers),
                            "amountFen": .integer(row.amountFen),
                        ])
                    }),
            ]),
            "mutualAid": .object([
                "enrolments": int(mutualAid.enrolments), "paidInFen": .integer(mutualAid.paidInFen),
                "claims": int(mutualAid.claims), "claimsPaidFen": .integer(mutualAid.claimsPaidFen),
                "byYear": .array(mutualAidByYear.map(year)),
            ]),
        ])
    }
}
