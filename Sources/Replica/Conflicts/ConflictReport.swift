import Foundation
import GRDB
public import SyncCore

/// An open conflict on one field of one record, explained for the staff who must decide.
public struct ConflictReport: Sendable, Hashable {
    /// One competing version, with who wrote it and when.
    public struct Side: Sendable, Hashable {
        public var value: FieldValue
        public var dot: Dot
        public var nodeName: String
        /// Milliseconds since 1970 on the writer's clock (display only).
        public var wallTime: Int64
        public var isShown: Bool
        public var isLocal: Bool
    }

    /// A short stable id, the same on every replica (derived from record and field).
    public var id: String
    public var recordType: String
    public var recordID: String
    /// What people call the record (a member's name, an activity's title), if it has one.
    public var recordLabel: String?
    public var field: String
    public var sides: [Side]
    public var vector: VersionVector

    public var shown: Side { sides.first { $0.isShown }! }

    public static func id(type: String, record: String, field: String) -> String {
        String(
            DerivedID.make(type: "conflict", key: [type, record, field]).replacingOccurrences(of: "-", with: "").prefix(
                12))
    }

    /// One plain sentence saying what happened and what shows until someone decides.
    public var explanation: String {
        let what = recordLabel.map { "\(recordType) \($0)" } ?? "\(recordType) \(recordID.prefix(8))"
        let others = sides.filter { !$0.isShown }
        if field == RecordState.lifecycleField {
            let deleter = sides.first { $0.value == RecordState.deleted }?.nodeName ?? "another node"
            let editors = Array(Set(sides.filter { $0.value == RecordState.alive }.map(\.nodeName))).sorted()
            return
                "\(what) was deleted at \(deleter) and edited at \(editors.joined(separator: " and ")) without either "
                + "seeing the other; it is kept until someone decides (delete it again, or resolve with --keep)."
        }
        let changes = ([shown] + others).map { "at \($0.nodeName) (to \(Self.quote($0.value)))" }
        return "\(field) of \(what) was changed " + changes.joined(separator: " and ")
            + " without either seeing the other; \(shown.nodeName)'s value is shown until someone decides."
    }

    static func quote(_ value: FieldValue) -> String {
        value.isNull ? "empty" : "\u{201C}\(value)\u{201D}"
    }
}
