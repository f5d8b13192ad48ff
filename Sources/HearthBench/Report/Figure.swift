/// One number a scenario measured, with the target when it has one.
struct Figure: Sendable {
    enum Unit: String, Sendable, Codable {
        case ratio, milliseconds, seconds, perSecond, megabytes, bytes, count, yesNo
    }

    var id: ScenarioID
    /// What was measured, e.g. "time ratio Hearth / raw SQLite".
    var name: String
    var value: Double
    var unit: Unit
    /// The target; nil for context figures (baselines, peers, absolute rates).
    var target: Target?
    /// A figure the issue gives for comparison only, shown in the target column in parentheses.
    var reference: String?

    init(
        _ id: ScenarioID, _ name: String, _ value: Double, _ unit: Unit, target: Target? = nil, reference: String? = nil
    ) {
        self.id = id
        self.name = name
        self.value = value
        self.unit = unit
        self.target = target
        self.reference = reference
    }
}

/// A bound a figure must stay within.
struct Target: Sendable, Codable {
    enum Comparison: String, Sendable, Codable {
        case atMost = "<=", atLeast = ">="
    }

    var comparison: Comparison
    var value: Double

    static func atMost(_ value: Double) -> Target { Target(comparison: .atMost, value: value) }
    static func atLeast(_ value: Double) -> Target { Target(comparison: .atLeast, value: value) }

    func isMet(by measured: Double) -> Bool {
        switch comparison {
        case .atMost: measured <= value
        case .atLeast: measured >= value
        }
    }
}
