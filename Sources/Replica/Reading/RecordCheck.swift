public import SyncCore

/// What `ReplicaReader.checkRecords()` found when it re-read and re-hashed every record.
public struct RecordCheck: Sendable, Hashable {
    /// The digest of the records as they read back now, hashed as the write path hashes them.
    public var digest: ReplicaDigest
    /// How many records were read.
    public var records: Int
    /// Records whose stored `_hash` is not the hash of their stored state (a column or the
    /// sync metadata was changed outside Hearth).
    public var mismatched: Int
    /// Records whose sync metadata could not be read at all; left out of `digest`.
    public var unreadable: Int

    /// True when every record reads back and hashes to what is stored for it.
    public var isSound: Bool { mismatched == 0 && unreadable == 0 }
}
