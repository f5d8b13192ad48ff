import HearthTestSupport
import Replica
import SyncCore

/// The end of every schedule: a final full sync until nothing changes, then the proof that all
/// replicas (the server's included) hold the same data and the same open conflicts.
enum ConvergenceChecker {
    /// Heals the network, lets held messages arrive, then runs full sync rounds (laptops to
    /// hubs, every node syncs with the server, hubs to laptops) until every replica holds the
    /// same digest with nothing pending, or a whole round changes nothing (then the replicas
    /// are stuck apart, which `compare` reports). Returns problems found on the way.
    ///
    /// From the second round on, a node is skipped once everything has converged: a replica
    /// identical to the server's can learn nothing more from it.
    static func settle(_ world: SimulatedWorld, maxRounds: Int = 8, trace: inout [String]) async -> [String] {
        world.network.heal()
        world.cutLaptopLinks = []
        let late = await world.network.deliverDelayed()
        if late > 0 { trace.append("final: \(late) held pushes arrive") }
        var random = SeededGenerator(seed: 0x4845_4152_5448)
        var previous = fingerprint(world)
        for round in 1...maxRounds {
            var syncs = 0
            do {
                for laptop in world.laptops { try world.exchange(laptop: laptop, random: &random) }
                for node in world.syncingNodes {
                    if round > 1, isConverged(world) { break }
                    if case .failure(let error) = await world.sync(node, fullPages: true) {
                        return ["final round \(round): \(node.name) could not sync with a healed network: \(error)"]
                    }
                    syncs += 1
                }
                for laptop in world.laptops { try world.exchange(laptop: laptop, random: &random) }
            } catch {
                return ["final round \(round): a laptop's exchange with its hub failed: \(error)"]
            }
            let current = fingerprint(world)
            let converged = Set(current.map(\.digest)).count == 1 && current.allSatisfy { $0.pending == 0 }
            trace.append(
                "final round \(round): \(syncs) syncs; \(converged ? "converged" : current == previous ? "stuck" : "still changing")"
            )
            if converged || current == previous { return [] }
            previous = current
        }
        return ["the replicas were still changing after \(maxRounds) full sync rounds"]
    }

    /// `settle` without a trace.
    static func settle(_ world: SimulatedWorld, maxRounds: Int = 8) async -> [String] {
        var trace: [String] = []
        return await settle(world, maxRounds: maxRounds, trace: &trace)
    }

    /// Digest and pending count of every replica.
    private static func fingerprint(_ world: SimulatedWorld) -> [Fingerprint] {
        ([world.server] + world.nodes.map(\.replica)).map { replica in
            Fingerprint(
                digest: (try? replica.read { try $0.digest().hex }) ?? "unreadable",
                pending: (try? replica.pendingRecordCount()) ?? -1)
        }
    }

    private struct Fingerprint: Hashable {
        var digest: String
        var pending: Int
    }

    /// Every replica holds the same digest and has nothing left to send (digests read first: cheaper).
    private static func isConverged(_ world: SimulatedWorld) -> Bool {
        let replicas = [world.server] + world.nodes.map(\.replica)
        let digests = Set(replicas.map { replica in (try? replica.read { try $0.digest().hex }) ?? "unreadable" })
        return digests.count == 1 && replicas.allSatisfy { (try? $0.pendingRecordCount()) == 0 }
    }

    /// Compares every replica with the server's and with the model; returns the differences.
    static func compare(_ world: SimulatedWorld, model: ConvergenceModel) -> [String] {
        var all: [ReplicaContents] = []
        do {
            all.append(try ReplicaContents.read(world.server, name: "server"))
            for node in world.nodes { all.append(try ReplicaContents.read(node.replica, name: node.name)) }
        } catch {
            return ["could not read a replica: \(error)"]
        }
        var problems: [String] = []
        for contents in all {
            problems += contents.selfConsistencyProblems
            if contents.pending > 0 {
                problems.append("\(contents.name): \(contents.pending) records still pending after the final sync")
            }
        }
        let server = all[0]
        for other in all.dropFirst() {
            if other.digest != server.digest {
                problems.append("\(other.name): digest \(other.digest) differs from the server's \(server.digest)")
            }
            if other.recomputedDigest != server.recomputedDigest {
                problems.append("\(other.name): recomputed digest differs from the server's")
            }
            problems += differences(other.states, server.states, left: other.name, right: "server")
            if other.conflicts != server.conflicts {
                problems.append(
                    "\(other.name): open conflicts differ from the server's; only here: "
                        + "\(other.conflicts.subtracting(server.conflicts).map(\.description).sorted()), only on the server: "
                        + "\(server.conflicts.subtracting(other.conflicts).map(\.description).sorted())")
            }
        }
        let stable = (try? world.server.stableVector()) ?? .empty
        let expected = model.collected(under: stable, held: server.states)
        problems += differences(server.states, expected, left: "server", right: "the join of all writes")
        let expectedConflicts = ReplicaContents.conflicts(in: expected.values)
        if server.conflicts != expectedConflicts {
            problems.append(
                "server: open conflicts differ from those of the join of all writes; only on the server: "
                    + "\(server.conflicts.subtracting(expectedConflicts).map(\.description).sorted()), only in the join: "
                    + "\(expectedConflicts.subtracting(server.conflicts).map(\.description).sorted())")
        }
        return problems
    }

    /// Records that differ between two replicas (at most a few, described in full).
    static func differences(
        _ left: [String: RecordState], _ right: [String: RecordState], left leftName: String, right rightName: String
    ) -> [String] {
        let keys = Set(left.keys).union(right.keys).sorted()
        let differing = keys.filter { left[$0] != right[$0] }
        guard !differing.isEmpty else { return [] }
        var lines = ["\(leftName) and \(rightName) differ on \(differing.count) of \(keys.count) records"]
        for key in differing.prefix(3) {
            lines.append("  \(key)\n    \(leftName): \(describe(left[key]))\n    \(rightName): \(describe(right[key]))")
        }
        return [lines.joined(separator: "\n")]
    }

    /// A record state in one line: its vector, then each field's versions in winner order.
    static func describe(_ state: RecordState?) -> String {
        guard let state else { return "absent" }
        let fields = state.fields.keys.sorted().map { name in
            let versions = state.fields[name]!.versions.map {
                "\($0.value.isNull ? "∅" : $0.value.description)@\($0.dot)"
            }
            return "\(name)=[\(versions.joined(separator: ", "))]"
        }
        return "\(state.vector) " + fields.joined(separator: " ")
    }
}
