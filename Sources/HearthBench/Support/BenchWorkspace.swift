import Foundation
import Synchronization

/// The folder holding one benchmark's databases; removed at the end unless asked to keep it.
final class BenchWorkspace: Sendable {
    let root: URL
    private let keep: Bool
    private let counter = Mutex(0)

    init(at path: String?, keep: Bool) throws {
        let base = path.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory
        root = base.appendingPathComponent("hearth-bench-\(UUID().uuidString.prefix(8))")
        self.keep = keep
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// A fresh path for a database file; `name` is only a readable prefix.
    func databasePath(_ name: String) -> String {
        let number = counter.withLock { value -> Int in
            value += 1
            return value
        }
        return root.appendingPathComponent("\(number)-\(name).db").path
    }

    /// Removes a database and its `-wal`/`-shm` files, to keep the disk use of long runs bounded.
    func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    func finish() {
        if !keep { try? FileManager.default.removeItem(at: root) }
    }
}
