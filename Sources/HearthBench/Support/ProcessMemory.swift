import Foundation

/// Memory figures of a process from `/proc/PID/status` (Linux).
enum ProcessMemory {
    /// A `kB` field of `/proc/PID/status` in bytes: `VmHWM` is the peak resident set, `VmRSS` the current one.
    /// `pid` nil means this process.
    static func statusBytes(_ field: String, pid: Int32? = nil) -> Int? {
        let path = "/proc/\(pid.map(String.init) ?? "self")/status"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if parts.count >= 2, let kilobytes = Int(parts[1]) {
                return kilobytes * 1024
            }
        }
        return nil
    }

    static func megabytes(_ bytes: Int) -> Double { Double(bytes) / 1_048_576 }
}
