import Foundation
import SyncCore

extension NodeID {
    /// A fixed, readable node id: `.fixed(2)` is `00000000-0000-4000-8000-000000000002`.
    ///
    /// Fixed ids order like their numbers, which lets tests choose who wins a dot tie.
    static func fixed(_ number: Int) -> NodeID {
        NodeID(String(format: "00000000-0000-4000-8000-%012d", number))!
    }
}

extension RecordState {
    /// The same state with every version's wall time replaced by `wallTime(dot)`.
    func withWallTimes(_ wallTime: (Dot) -> Int64) -> RecordState {
        var copy = self
        for (name, field) in fields {
            copy.fields[name] = FieldState(
                field: name,
                versions: field.versions.map { FieldVersion(value: $0.value, dot: $0.dot, wallTime: wallTime($0.dot)) })
        }
        return copy
    }

    /// The dots of each field's shown version.
    var shownDots: [String: Dot] {
        fields.mapValues(\.shown.dot)
    }
}
