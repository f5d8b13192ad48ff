/// A figure over all runs: the median (the worst run for yes/no figures) and every run's value.
struct FigureSummary: Sendable, Codable {
    var id: ScenarioID
    var figure: String
    var unit: Figure.Unit
    var median: Double
    var runs: [Double]
    var target: Target?
    var targetText: String?
    var met: Bool?
    var reference: String?

    /// Groups figures by scenario and name in the order they first appeared.
    static func summarise(_ runs: [[Figure]]) -> [FigureSummary] {
        var order: [String] = []
        var groups: [String: [Figure]] = [:]
        for figures in runs {
            for figure in figures {
                let key = figure.id.rawValue + "\u{1F}" + figure.name
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(figure)
            }
        }
        return order.map { key in
            let figures = groups[key]!
            let first = figures[0]
            let values = figures.map(\.value)
            let central = first.unit == .yesNo ? values.min()! : median(values)
            return FigureSummary(
                id: first.id, figure: first.name, unit: first.unit, median: central, runs: values, target: first.target,
                targetText: first.target.map { FigureFormat.target($0, unit: first.unit) },
                met: first.target.map { $0.isMet(by: central) }, reference: first.reference)
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
