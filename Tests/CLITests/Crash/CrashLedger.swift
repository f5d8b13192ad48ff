/// What a crash trial wrote, and so what every replica must hold once it has recovered.
///
/// A write whose `hearth` command exited 0 (or printed its id) is `committed`: it must be on
/// every replica exactly once. A write whose command was killed is `uncertain`: it may be
/// there or not, but never twice, never in part (an import is the whole file or nothing).
/// An edit that exited 0 is the value on every replica (no later write touches the field).
/// Nothing the trial did not write may appear.
struct CrashLedger {
    enum Outcome: String {
        case committed, uncertain
    }

    struct Batch {
        var label: String
        var members: [CrashRoster.Member]
        var outcome: Outcome
    }

    private(set) var single: [String: (member: CrashRoster.Member, id: String?, outcome: Outcome)] = [:]
    private(set) var batches: [Batch] = []
    /// Member id → the notes its last `member edit --notes` that exited 0 wrote.
    private(set) var notes: [String: String] = [:]
    /// Activity id → title, for activities whose `activity add` printed the id.
    private(set) var activities: [String: String] = [:]
    /// Activity id → the member ids whose `register` exited 0.
    private(set) var registrations: [String: Set<String>] = [:]

    mutating func added(_ member: CrashRoster.Member, id: String?, _ outcome: Outcome) {
        single[member.phone] = (member, id, outcome)
    }

    mutating func imported(_ label: String, _ members: [CrashRoster.Member], _ outcome: Outcome) {
        batches.append(Batch(label: label, members: members, outcome: outcome))
    }

    /// Marks an uncertain batch as committed (it was imported again after the kill and that exited 0).
    mutating func settle(_ label: String) {
        for index in batches.indices where batches[index].label == label { batches[index].outcome = .committed }
    }

    mutating func edited(member id: String, notes text: String) {
        notes[id] = text
    }

    mutating func addedActivity(id: String, title: String) {
        activities[id] = title
    }

    mutating func registered(member: String, activity: String) {
        registrations[activity, default: []].insert(member)
    }

    /// How many rows of the file `label` a replica's `member list --json` holds.
    func presentRows(of label: String, in members: [[String: Any]]) -> Int {
        let phones = Set(members.compactMap { $0["phone"] as? String })
        return batches.first { $0.label == label }?.members.filter { phones.contains($0.phone) }.count ?? 0
    }

    /// Everything wrong with one replica's `member list --json`: lost, doubled, partial, altered or invented.
    func problems(members: [[String: Any]]) -> [String] {
        var problems: [String] = []
        let byPhone = Dictionary(grouping: members) { $0["phone"] as? String ?? "" }
        var known: Set<String> = []
        for (phone, entry) in single {
            known.insert(phone)
            let found = byPhone[phone] ?? []
            if found.count > 1 { problems.append("member \(phone) added once is there \(found.count) times") }
            if found.isEmpty, entry.outcome == .committed {
                problems.append("member \(phone) (id \(entry.id ?? "?")) was added (exit 0) and is lost")
            }
            if let record = found.first {
                if let id = entry.id, record["id"] as? String != id {
                    problems.append("member \(phone) has id \(record["id"] ?? "nil"), the add printed \(id)")
                }
                if record["name"] as? String != entry.member.name {
                    problems.append("member \(phone) has another name")
                }
                if let id = entry.id, let text = notes[id], record["notes"] as? String != text {
                    problems.append("member \(phone) lost the edit of its notes that exited 0")
                }
            }
        }
        for batch in batches {
            let phones = batch.members.map(\.phone)
            known.formUnion(phones)
            let counts = phones.map { byPhone[$0]?.count ?? 0 }
            let present = counts.filter { $0 > 0 }.count
            if let doubled = counts.firstIndex(where: { $0 > 1 }) {
                problems.append("import \(batch.label): row \(doubled + 1) is there \(counts[doubled]) times")
            }
            if present != 0 && present != phones.count {
                problems.append("import \(batch.label) is partial: \(present) of \(phones.count) rows")
            } else if present == 0 && batch.outcome == .committed {
                problems.append("import \(batch.label) exited 0 and all \(phones.count) rows are lost")
            }
            let renamed = batch.members.filter { member in
                byPhone[member.phone].map { $0.contains { $0["name"] as? String != member.name } } ?? false
            }
            if !renamed.isEmpty { problems.append("import \(batch.label): \(renamed.count) rows have another name") }
        }
        let invented = members.filter { !known.contains($0["phone"] as? String ?? "") }
        if !invented.isEmpty { problems.append("\(invented.count) members that no command wrote") }
        return problems
    }

    /// Everything wrong with one replica's activities and the attendance of each.
    func problems(activities listed: [[String: Any]], attendance: [String: Set<String>]) -> [String] {
        var problems: [String] = []
        let ids = listed.compactMap { $0["id"] as? String }
        if Set(ids) != Set(activities.keys) || ids.count != activities.count {
            problems.append("activities \(ids.sorted()) instead of \(activities.keys.sorted())")
        }
        for (activity, members) in registrations where attendance[activity] != members {
            problems.append(
                "activity \(activity) has \(attendance[activity]?.count ?? 0) registrations, expected \(members.count)")
        }
        return problems
    }
}
