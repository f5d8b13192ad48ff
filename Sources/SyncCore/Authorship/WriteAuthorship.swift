/// Decides whether a record state pushed by a node holds only what that node could have written.
///
/// A node's state of a record is the join of states it received from the server (all of them
/// older than, or equal to, what the server holds now) and of its authors' own writes (the node's
/// own, and for a hub its laptops'). So, compared with what the server holds, merging it may:
/// - add versions under an author's dot the server has never seen (new writes);
/// - drop a version the server holds only where a new author version of the same field
///   supersedes it (an author wrote that field after seeing it);
/// - raise vector entries of authors only.
///
/// Anything else (a version under another node's dot that the server does not hold in that
/// field, a field or record emptied without an own write, a vector entry of another node beyond
/// the server's, a known dot with another value, an own version under a dot the server has
/// already seen for this record) is a forgery or a replay of something the server no longer
/// has, and is refused. Pure: the server calls it with the state it holds and the merge result.
///
/// Two allowances follow from deleting erasing:
/// - a known dot may come back with its value erased (null), but only in a state that carries a
///   new write of an author to the record: its delete (or a delete and a re-creation);
/// - history under `stable` (the stable vector, `TombstoneCollection`) is known: everyone has
///   seen it. A record the receiver does not hold was collected; one it holds again after
///   collecting it (met again by a write that had not seen the delete) no longer names it.
public enum WriteAuthorship {
    /// Nil when `incoming` is acceptable from a sender whose authors `isAuthor` recognises.
    ///
    /// `current` is what the receiver holds (nil when the record is new to it) and `merged` the
    /// result of `RecordMerge.merge(local: current, incoming: incoming)`.
    public static func violation(
        incoming: RecordState, current: RecordState?, merged: RecordState, isAuthor: (NodeID) -> Bool,
        stable: VersionVector = .empty
    ) -> AuthorshipViolation? {
        // History under the stable vector is known to everyone: a record met again after it was
        // collected holds none of it, and a node that kept the tombstone still names it.
        let heldVector = (current?.vector ?? .empty).merged(with: stable)
        for entry in incoming.vector.sortedEntries where !isAuthor(entry.node) && entry.counter > heldVector[entry.node]
        {
            return AuthorshipViolation(.foreignHistory, node: entry.node)
        }
        if let current {
            let authorWrote = incoming.vector.sortedEntries.contains {
                isAuthor($0.node) && $0.counter > heldVector[$0.node]
            }
            if let rewrite = rewrittenVersion(
                incoming: incoming, current: current, merged: merged, mayErase: authorWrote)
            {
                return rewrite
            }
        }
        for field in merged.fields.keys.sorted() {
            let held = current?.fields[field]
            var hasNewAuthorVersion = false
            for version in merged.fields[field]!.versions where !(held?.contains(version.dot) ?? false) {
                guard isAuthor(version.dot.node) else {
                    return AuthorshipViolation(.foreignVersion, field: field, dot: version.dot)
                }
                guard !heldVector.contains(version.dot) else {
                    return AuthorshipViolation(.reusedDot, field: field, dot: version.dot)
                }
                hasNewAuthorVersion = true
            }
            if let held, !hasNewAuthorVersion,
                let dropped = held.versions.first(where: { !merged.fields[field]!.contains($0.dot) })
            {
                return AuthorshipViolation(.droppedVersion, field: field, dot: dropped.dot)
            }
        }
        if let current {
            for field in current.fields.keys.sorted() where merged.fields[field] == nil {
                return AuthorshipViolation(.droppedVersion, field: field, dot: current.fields[field]!.shown.dot)
            }
        }
        return nil
    }

    /// A version whose dot the receiver holds in the same field with another value or time.
    ///
    /// Two differences are not rewrites: with `mayErase`, a value erased (set to null); and a
    /// value the receiver holds erased, from a sender that has not seen everything held here (so
    /// not the erasing delete), as long as the merge keeps it erased.
    private static func rewrittenVersion(
        incoming: RecordState, current: RecordState, merged: RecordState, mayErase: Bool
    ) -> AuthorshipViolation? {
        for field in incoming.fields.keys.sorted() {
            guard let held = current.fields[field] else { continue }
            for version in incoming.fields[field]!.versions {
                guard let known = held.versions.first(where: { $0.dot == version.dot }), known != version else {
                    continue
                }
                let sameWrite = version.wallTime == known.wallTime
                let erased = mayErase && version.value.isNull
                // A sender whose vector covers everything held here has seen the erasing delete.
                let notYetErased =
                    known.value.isNull && !current.vector.isDominated(by: incoming.vector)
                    && merged.fields[field]?.versions.first(where: { $0.dot == version.dot })?.value.isNull ?? true
                if !sameWrite || !(erased || notYetErased) {
                    return AuthorshipViolation(.rewrittenVersion, field: field, dot: version.dot)
                }
            }
        }
        return nil
    }
}
