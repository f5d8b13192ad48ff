extension FederationReport {
    /// `hearth report`: headline figures, then one aligned table per section, in `language`.
    public func text(_ language: ReportLanguage) -> String {
        let l = language
        var out: [String] = ["\(l.label("title")) — \(scopeText(l))", ""]
        var headline = KeyValueList()
        for (label, value) in highlights(l) { headline.append(label, value) }
        out.append(headline.render())

        func section(_ title: String, _ table: TextTable) {
            out.append("")
            out.append(title)
            out.append(table.rows.isEmpty ? l.label("none") : table.render())
        }
        section(l.label("members.byCenter"), membersTable(l))
        section(
            l.label("activities.byKind"),
            activityTable(activitiesByKind, first: l.label("kind"), l) { l.label("kind.\($0)") })
        section(
            l.label("activities.byCenter"),
            activityTable(activitiesByCenter, first: l.label("center"), l) { centerName($0, l) })
        section(
            l.label("activities.byMonth"), activityTable(activitiesByMonth, first: l.label("month"), l) { l.month($0) })
        section(l.label("largest"), eventsTable(l))
        section(l.label("certificates"), tradeTable(l))
        section(l.label("legal"), casesTable(l))
        section(l.label("mutual"), mutualAidTable(l))
        if !enterprisesReviewed.isEmpty {
            out.append("")
            out.append(
                "\(l.label("legal.reviewed")) (\(enterprisesReviewed.count)): "
                    + enterprisesReviewed.joined(separator: l == .zh ? "、" : ", "))
        }
        return out.joined(separator: "\n")
    }

    /// The figures a report quotes first, labelled, in the order it quotes them.
    public func highlights(_ l: ReportLanguage) -> [(label: String, value: String)] {
        let disputes = disputes
        let sep = l == .zh ? "，" : ", "
        return [
            (
                "\(l.label("members.total")) (\(l.label("members.nonlocal")) \(l.count(members.nonlocal)))",
                l.count(members.total)
            ),
            (l.label("activities.count"), l.count(activities.activities)),
            (l.label("registered"), l.count(activities.registered)),
            (l.label("attended"), l.count(activities.attended)),
            (l.label("certificates.total"), l.count(certificates)),
            (l.label("legal.workers"), l.count(legalAidWorkers)),
            (
                "\(l.label("legal.disputes")) (\(l.label("cases")) \(l.count(disputes.cases))\(sep)"
                    + "\(l.label("legal.disputeWorkers")) \(l.count(disputes.workers)))",
                l.money(fen: disputes.amountFen)
            ),
            (l.label("legal.reviewed"), l.count(enterprisesReviewed.count)),
            (l.label("mutual.enrolments"), l.count(mutualAid.enrolments)),
            (
                "\(l.label("mutual.claimsPaid")) (\(l.label("mutual.claims")) \(l.count(mutualAid.claims)))",
                l.money(fen: mutualAid.claimsPaidFen)
            ),
        ]
    }

    func scopeText(_ l: ReportLanguage) -> String {
        var parts: [String] = []
        if let from = scope.from { parts.append("\(l.label("scope.from")) \(from)") }
        if let to = scope.to { parts.append("\(l.label("scope.to")) \(to)") }
        if let center = scope.center { parts.append("\(l.label("scope.center")) \(center)") }
        return parts.isEmpty ? l.label("scope.all") : parts.joined(separator: " ")
    }

    func centerName(_ center: String, _ l: ReportLanguage) -> String {
        center.isEmpty ? l.label("center.none") : center
    }

    func membersTable(_ l: ReportLanguage) -> TextTable {
        var table = TextTable(columns: [
            .init(l.label("center")), .init(l.label("members.total"), alignment: .right),
            .init(l.label("members.local"), alignment: .right), .init(l.label("members.nonlocal"), alignment: .right),
        ])
        for row in membersByCenter {
            table.append([centerName(row.center, l), l.count(row.total), l.count(row.local), l.count(row.nonlocal)])
        }
        return table
    }

    func activityTable(
        _ rows: [ActivityTally], first: String, _ l: ReportLanguage, name: (String) -> String
    ) -> TextTable {
        var table = TextTable(columns: [
            .init(first), .init(l.label("activities.count"), alignment: .right),
            .init(l.label("registered"), alignment: .right), .init(l.label("attended"), alignment: .right),
        ])
        for row in rows {
            table.append([name(row.key), l.count(row.activities), l.count(row.registered), l.count(row.attended)])
        }
        return table
    }

    func eventsTable(_ l: ReportLanguage) -> TextTable {
        var table = TextTable(columns: [
            .init(l.label("event"), maxWidth: 30), .init(l.label("kind")), .init(l.label("center"), maxWidth: 20),
            .init(l.label("date")), .init(l.label("registered"), alignment: .right),
            .init(l.label("attended"), alignment: .right),
        ])
        for event in largestEvents {
            table.append([
                event.title, l.label("kind.\(event.kind)"), centerName(event.center, l),
                String(event.startsAt.prefix(10)),
                l.count(event.registered), l.count(event.attended),
            ])
        }
        return table
    }

    func tradeTable(_ l: ReportLanguage) -> TextTable {
        var table = TextTable(columns: [.init(l.label("trade")), .init(l.label("count"), alignment: .right)])
        for row in certificatesByTrade { table.append([row.trade, l.count(row.count)]) }
        return table
    }

    func casesTable(_ l: ReportLanguage) -> TextTable {
        var table = TextTable(columns: [
            .init(l.label("kind")), .init(l.label("cases"), alignment: .right),
            .init(l.label("workers"), alignment: .right), .init(l.label("amount"), alignment: .right),
        ])
        for row in casesByKind {
            table.append([
                l.label("case.\(row.kind)"), l.count(row.cases), l.count(row.workers), l.money(fen: row.amountFen),
            ])
        }
        return table
    }

    func mutualAidTable(_ l: ReportLanguage) -> TextTable {
        var table = TextTable(columns: [
            .init(l.label("year")), .init(l.label("mutual.enrolments"), alignment: .right),
            .init(l.label("mutual.paidIn"), alignment: .right), .init(l.label("mutual.claims"), alignment: .right),
            .init(l.label("mutual.claimsPaid"), alignment: .right),
        ])
        for row in mutualAidByYear {
            table.append([
                String(row.year), l.count(row.enrolments), l.money(fen: row.paidInFen), l.count(row.claims),
                l.money(fen: row.claimsPaidFen),
            ])
        }
        return table
    }
}
