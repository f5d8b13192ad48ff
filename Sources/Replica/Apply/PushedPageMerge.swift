public import SyncCore

/// The protocol's rules for merging one pushed page, above any store.
///
/// A store loads what it holds of the page's records, hands them here with the stable vector,
/// and saves what comes back, all in one transaction: the SQLite replica (`applyPushedPage`)
/// and the PostgreSQL server store do exactly that, so collection, validation, authorization
/// and the merge are written once. Everything here is pure; a store only loads and saves.
///
/// For each change, in page order:
/// 1. its type must be declared, or a name a newer release could declare (kept opaquely);
/// 2. with a stable vector, the collection rules (PROTOCOL.md §22): a change for a record held
///    here loses the stable versions this store no longer holds
///    (`TombstoneCollection.strippingForgotten`); one for a record not held loses every stable
///    version (`strippingStable`), and is dropped as a zombie when nothing is left;
/// 3. its shape is checked against the declarations (`IncomingStateCheck`);
/// 4. it is merged with what is held (`RecordMerge`) and `authorize` sees the result before
///    anything is kept, returning why the sender may not make it (nil when it may).
/// A refused or invalid change is left out and reported; the rest of the page is merged.
public struct PushedPageMerge {
    /// One record to save: its merged state, what was held before the page (for the digest and
    /// the conflict index), and whether it is exactly what the sender sent (then its feed entry
    /// is the sender's own, and its pull leaves it out).
    public struct Write {
        public var state: RecordState
        public var previous: RecordState?
        public var isSendersOwn: Bool
    }

    /// What the page did, for the answer, and what to save, in the order the feed gets it.
    public var report = PushApplyReport()
    public var writes: [Write] = []

    /// Plans `states` pushed by a node against `held` (the stored states of the page's records
    /// that exist, by type and id); see the type's comment for the rules.
    public init(
        _ states: [RecordState], held: [RecordKey: RecordState], stable: VersionVector, catalog: RecordCatalog,
        authorize: (_ change: PushedChange) -> String?
    ) {
        report.stable = stable
        var current = held
        // One slot per saved record; a record changed twice in one page is saved once, where its
        // last change puts it in the feed.
        var slots: [Write?] = []
        var slotIndex: [RecordKey: Int] = [:]
        for (index, pushed) in states.enumerated() {
            let key = RecordKey(type: pushed.type, id: pushed.id)
            let outcome = Self.plan(
                pushed, current: current[key], stable: stable, catalog: catalog, authorize: authorize)
            switch outcome {
            case .zombie:
                report.collected.append(index)
            case .refused(let reason, let message):
                report.refused.append(ChangeRefusal(index: index, reason: reason, message: message))
            case .merged(let result, let metAgain):
                if metAgain { report.collected.append(index) }
                report.conflictsOpened += result.conflictsOpened.count
                guard result.changesLocalState else {
                    report.alreadyKnown += 1
                    continue
                }
                report.applied += 1
                // What the sender holds is what it sent: a state the collection rule changed is
                // not its own, so its feed entry is not the sender's and it pulls it back.
                if let earlier = slotIndex[key] { slots[earlier] = nil }
                slotIndex[key] = slots.count
                slots.append(Write(state: result.state, previous: held[key], isSendersOwn: result.state == pushed))
                current[key] = result.state
            }
        }
        writes = slots.compactMap { $0 }
    }

    private enum Outcome {
        case zombie
        case refused(ChangeRefusal.Reason, String)
        case merged(RecordMerge.Result, metAgain: Bool)
    }

    private static func plan(
        _ pushed: RecordState, current: RecordState?, stable: VersionVector, catalog: RecordCatalog,
        authorize: (_ change: PushedChange) -> String?
    ) -> Outcome {
        let type: RecordType
        if let declared = catalog.type(named: pushed.type) {
            type = declared
        } else if OpaqueTypes.isAcceptableName(pushed.type) {
            type = OpaqueTypes.declaration(pushed.type)
        } else {
            return .refused(
                .invalid,
                "change \(pushed.id): its record type is neither declared here nor a name a newer Hearth could declare")
        }
        var adjusted = pushed
        var metAgain = false
        if !stable.isEmpty {
            if let current {
                // Versions stripped when the record was met again, which the sender still carries:
                // not reported (its copy holds stable versions kept here too); it pulls the stored
                // state back instead.
                adjusted = TombstoneCollection.strippingForgotten(pushed, held: current, stable: stable)
            } else {
                // A record collected here and met again: stored stripped, and reported so that
                // the sender strips its copy alike.
                guard let kept = TombstoneCollection.strippingStable(pushed, stable: stable) else { return .zombie }
                metAgain = kept != pushed
                adjusted = kept
            }
        }
        do {
            try IncomingStateCheck.validate(adjusted, type: type)
        } catch {
            return .refused(.invalid, "change \(pushed.id): \(error.message)")
        }
        let result = RecordMerge.merge(local: current, incoming: adjusted)
        if let refusal = authorize(PushedChange(incoming: adjusted, current: current, result: result, stable: stable)) {
            return .refused(.forbidden, refusal)
        }
        return .merged(result, metAgain: metAgain)
    }
}

/// A record's name across types: its type and id.
public struct RecordKey: Hashable, Sendable {
    public var type: String
    public var id: String

    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }
}
