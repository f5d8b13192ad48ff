import CSQLiteSession
import Foundation

/// What the figures were measured on.
struct MachineInfo: Codable {
    var cpuModel: String
    var cores: Int
    var memoryMB: Int
    var sqliteVersion: String
    var system: String
    var date: String

    static func current() -> MachineInfo {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let totalKB =
            meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }
            .flatMap { line in line.split(separator: " ").dropFirst().first.flatMap { Int($0) } } ?? 0
        let release = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        let system =
            release.split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }
            .map { $0.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            ?? "unknown"
        return MachineInfo(
            cpuModel: model, cores: ProcessInfo.processInfo.activeProcessorCount, memoryMB: totalKB / 1024,
            sqliteVersion: String(cString: sqlite3_libversion()), system: system,
            date: ISO8601DateFormatter().string(from: Date()))
    }

    var summaryLine: String {
        "machine: \(cpuModel), \(cores) cores, \(memoryMB) MB, \(system), SQLite \(sqliteVersion); \(date)"
    }
}
