import Foundation

/// The `--json` output: the machine, the sizes and every figure's median and runs.
struct BenchDocument: Codable {
    var machine: MachineInfo
    var sizes: BenchSizes
    var runs: Int
    var scenarios: [String]
    var figures: [FigureSummary]

    func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
