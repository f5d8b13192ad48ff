/// B10's table: the same six figures at each of the four moments, each size also as a ratio to
/// raw SQLite at the same moment, then the raw baseline itself.
extension CollectionScenario {
    static func figures(_ outcome: Outcome, raw: RawDeletion.Outcome) -> [Figure] {
        var figures = moment("all live", outcome.live, raw: raw.full, rawName: "raw SQLite")
        figures += [
            Figure(
                .b10, "deleted, not collected: deletes/s through the replica API",
                Double(outcome.deletes) / outcome.deleteSeconds, .perSecond),
            Figure(.b10, "deleted, not collected: tombstones on node A", Double(outcome.deleted.tombstones), .count),
        ]
        figures += moment("deleted, not collected", outcome.deleted, raw: raw.deleted, rawName: "raw after DELETE")
        figures += [
            Figure(.b10, "collected: sync rounds until no replica holds a tombstone", Double(outcome.rounds), .count),
            Figure(.b10, "collected: time of those rounds (A and B)", outcome.roundsSeconds, .seconds),
            // A sync with nothing new must move nothing (B3); a count above 0 is records pulled again.
            Figure(
                .b10, "collected: states a sync with nothing new pulls (node A)", Double(outcome.idlePulled), .count,
                target: .atMost(0)),
            // Collection forgets records, not the writing node's log of its own writes.
            Figure(.b10, "collected: change-log rows node A keeps", Double(outcome.changeLogRows), .count),
        ]
        figures += moment("collected", outcome.collected, raw: raw.deleted, rawName: "raw after DELETE")
        figures += moment("after VACUUM", outcome.vacuumed, raw: raw.vacuumed, rawName: "raw after VACUUM")
        figures += [
            Figure(.b10, "raw SQLite: all rows (baseline)", raw.full.megabytes, .megabytes),
            Figure(.b10, "raw SQLite: after DELETE of the same rows", raw.deleted.megabytes, .megabytes),
            Figure(.b10, "raw SQLite: free pages after DELETE", Double(raw.deleted.freePages), .count),
            Figure(.b10, "raw SQLite: after VACUUM", raw.vacuumed.megabytes, .megabytes),
        ]
        return figures
    }

    /// Node A's file (`.db` after a `TRUNCATE` checkpoint, `-wal` empty) and its ratio to the raw
    /// file at the same moment, its free pages, the server's file, and A's two digest times.
    private static func moment(_ name: String, _ snapshot: CollectionSnapshot, raw: FileFootprint, rawName: String)
        -> [Figure]
    {
        [
            Figure(.b10, "\(name): node A file", snapshot.node.megabytes, .megabytes),
            Figure(.b10, "\(name): node A file / \(rawName)", snapshot.node.megabytes / raw.megabytes, .ratio),
            Figure(.b10, "\(name): node A free pages", Double(snapshot.node.freePages), .count),
            Figure(.b10, "\(name): server file", snapshot.server.megabytes, .megabytes),
            Figure(.b10, "\(name): stored digest read", snapshot.digestRead * 1000, .milliseconds),
            Figure(
                .b10, "\(name): digest recomputed from every record", snapshot.digestRecompute * 1000, .milliseconds),
        ]
    }
}
