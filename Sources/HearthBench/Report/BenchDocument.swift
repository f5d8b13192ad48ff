import Foundation

/// The `--json` output: the machine, the sizes and every figure's median and runs.
struct BenchDocument: Codable {
    var machine: MachineInfo
    var sizes: BenchSizes
    var runs: Int
    var scenarios: [String]
    var figures: [FigureSummary]
    /// The PostgreSQL server of the `-pg` scenarios: its version and commit settings (nil: not run).
    var postgres: String?

    func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
