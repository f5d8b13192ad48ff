import Foundation
import Testing

extension HearthProcess {
    /// Writes `bytes` as a file in the test's directory and returns its path.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// The bytes of a file in the test's directory.
    func bytes(of name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// How many live records of `type` the replica holds, from `status --json`.
    func count(_ type: String) throws -> Int? {
        let status = try succeed(["status", "--json"]).jsonObject()
        return (status["records"] as? [String: Any])?[type] as? Int
    }

    /// `hearth … import` with `--json`, returning its counts as [added, updated, unchanged].
    func importCounts(_ arguments: [String]) throws -> [Int?] {
        let result = try succeed(arguments + ["--json"]).jsonObject()
        return ["added", "updated", "unchanged"].map { result[$0] as? Int }
    }
}
