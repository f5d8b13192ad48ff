import Foundation
import Replica
import SyncCore

/// A temporary directory for one test; every replica opened through it is closed, and the
/// directory removed, when the test ends (see `withScratch`).
final class Scratch {
    /// The wall clock every test replica uses unless told otherwise: 2026-01-28T00:00Z in milliseconds.
    static let fixedClock: Int64 = 1_769_558_400_000

    let directory: URL
    private var opened: [Replica] = []
    private var fileCount = 0

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// A new replica in its own file, with a fixed wall clock so tests are deterministic.
    func replica(
        _ name: String, nodeID: NodeID = .random(), role: Replica.Role = .node, clock: Int64 = Scratch.fixedClock
    ) throws -> Replica {
        fileCount += 1
        let replica = try Replica.create(
            at: path("replica-\(fileCount).hearth"), name: name, nodeID: nodeID, role: role, wallClock: { clock })
        opened.append(replica)
        return replica
    }

    /// Remembers a replica opened elsewhere so it is closed at the end.
    @discardableResult
    func track(_ replica: Replica) -> Replica {
        opened.append(replica)
        return replica
    }

    func cleanUp() {
        for replica in opened { try? replica.close() }
        try? FileManager.default.removeItem(at: directory)
    }

    func bytes(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    func permissions(_ path: String) throws -> Int? {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }
}

/// Runs `body` with a fresh scratch directory and cleans it up, whatever happens.
func withScratch<T>(_ body: (Scratch) throws -> T) throws -> T {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    return try body(scratch)
}

extension NodeID {
    /// A fixed, readable node id: `.fixed(2)` is `00000000-0000-4000-8000-000000000002`.
    static func fixed(_ number: Int) -> NodeID {
        NodeID(String(format: "00000000-0000-4000-8000-%012d", number))!
    }
}

/// A fixed record id, so replicas built twice hold the same records.
func recordID(_ number: Int) -> String {
    String(format: "0b7e4a2c-0000-4000-8000-%012d", number)
}
