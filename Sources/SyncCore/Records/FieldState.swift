/// Every version of one field that no other version has superseded, the shown one first.
///
/// Usually a single version. Two or more appear when writes were concurrent: if their values
/// differ the field is in conflict until a later write (which has seen them all) replaces them.
public struct FieldState: Hashable, Sendable {
    /// The surviving versions in winner order: `versions[0]` is the value every replica shows.
    public private(set) var versions: [FieldVersion]

    /// Orders `versions` by the deterministic winner rule for `field`.
    public init(field: String, versions: [FieldVersion]) {
        self.versions = versions.sorted { WinnerRule.prefers($0, over: $1, field: field) }
    }

    /// A field written once, by one write.
    public init(single version: FieldVersion) {
        self.versions = [version]
    }

    public var shown: FieldVersion { versions[0] }

    /// True when concurrent versions disagree on the value.
    public var isConflicted: Bool {
        versions.count > 1 && versions.dropFirst().contains { $0.value != versions[0].value }
    }

    public func contains(_ dot: Dot) -> Bool {
        versions.contains { $0.dot == dot }
    }
}
