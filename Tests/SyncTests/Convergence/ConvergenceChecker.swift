import HearthTestSupport
import Replica
import SyncCore
import SyncServer

/// The end of every schedule: a final full sync until nothing changes, then the proof that all
/// replicas (the server's included) hold the same data and the same open conflicts, and that
/// no tombstone every node has seen is left uncollected.
enum ConvergenceChecker {
    /// Heals the network, lets held messages arrive, then runs full sync rounds (laptops to
    /// hubs, every node syncs with the server, hubs to laptops) until every replica holds the
    /// same digest with nothing pending and, when every registered node syncs with the server
    /// (no laptop behind a hub), until the server holds no tombstone either; or until a whole
    /// round changes nothing (then the replicas are stuck apart, or collection stalled, which
    /// `compare` reports). Returns problems found on the way.
    ///
    /// Collection takes rounds of its own after the data converged: a delete becomes stable
    /// once every node has reported its writes settled and then pulled from past that point,
    /// and the others learn the stable vector at their next pull. So what counts as a change
    /// includes every replica's stable vector and where each node last pulled from.
    ///
    /// From the second round on, a node is skipped once everything has settled: a replica
    /// identical to the server's can learn nothing more from it.
    static func settle(_ world: SimulatedWorld, maxRounds: Int = 12, trace: inout [String]) async -> [String] {
        world.network.heal()
        world.cutLaptopLinks = []
        let late = await world.network.deliverDelayed()
        if late > 0 { trace.append("final: \(late) held pushes arrive") }
        var random = SeededGenerator(seed: 0x4845_4152_5448)
        var previous = await fingerprint(world)
        for round in 1...maxRounds {
            var syncs = 0
            do {
                for laptop in world.laptops { try world.exchange(laptop: laptop, random: &random) }
                for node in world.syncingNodes {
                    if round > 1, await isSettled(world) { break }
                    if case .failure(let error) = await world.sync(node, fullPages: true) {
                        return ["final round \(round): \(node.name) could not sync with a healed network: \(error)"]
                    }
                    syncs += 1
                }
                for laptop in world.laptops { try world.exchange(laptop: laptop, random: &random) }
            } catch {
                return ["final round \(round): a laptop's exchange with its hub failed: \(error)"]
            }
            let current = await fingerprint(world)
            let settled = await isSettled(world)
            trace.append(
                "final round \(round): \(syncs) syncs; "
                    + (settled ? "converged" : current == previous ? "nothing changed" : "still changing"))
            if settled || current == previous { return [] }
            previous = current
        }
        return ["the replicas were still changing after \(maxRounds) full sync rounds"]
    }

    /// `settle` without a trace.
    static func settle(_ world: SimulatedWorld, maxRounds: Int = 12) async -> [String] {
        var trace: [String] = []
        return await settle(world, maxRounds: maxRounds, trace: &trace)
    }

    /// Digest and stable vector of the server, digest, pending count and stable vector of every
    /// node, and where each registered node last pulled from.
    private static func fingerprint(_ world: SimulatedWorld) async -> [Fingerprint] {
        let server = Fingerprint(
            digest: (try? await world.server.digest().hex) ?? "unreadable", pending: 0,
            stable: (try? await world.server.stableVector().description) ?? "unreadable")
        let replicas = world.nodes.map(\.replica).map { replica in
            Fingerprint(
                digest: (try? replica.read { try $0.digest().hex }) ?? "unreadable",
                pending: (try? replica.pendingRecordCount()) ?? -1,
                stable: (try? replica.stableVector().description) ?? "unreadable")
        }
        let pulls = ((try? await world.server.registry.nodes()) ?? []).map {
            Fingerprint(digest: $0.id.rawValue, pending: Int($0.lastPullCursor), stable: "")
        }
        return [server] + replicas + pulls
    }

    private struct Fingerprint: Hashable {
        var digest: String
        var pending: Int
        var stable: String
    }

    /// Every replica holds the same digest and has nothing left to send (digests read first:
    /// cheaper) and, where every registered node syncs with the server, no tombstone is left.
    /// Asked before every sync of a round, so it stops at the first difference.
    private static func isSettled(_ world: SimulatedWorld) async -> Bool {
        guard let server = try? await world.server.digest() else { return false }
        for node in world.nodes where (try? node.replica.read { try $0.digest() }) != server { return false }
        guard world.nodes.allSatisfy({ (try? $0.replica.pendingRecordCount()) == 0 }) else { return false }
        guard collectsEverything(world) else { return true }
        return (try? await world.server.tombstoneCount()) == 0
    }

    /// Whether every registered node pulls from the server, so that every tombstone can be
    /// collected in the end (a laptop behind a hub never pulls, and holds collection back).
    static func collectsEverything(_ world: SimulatedWorld) -> Bool {
        world.laptops.isEmpty
    }

    /// Compares every replica with the server's and with the model; returns the differences.
    static func compare(_ world: SimulatedWorld, model: ConvergenceModel) async -> [String] {
        var all: [ReplicaContents] = []
        do {
            all.append(try await world.server.contents())
            for node in world.nodes { all.append(try ReplicaContents.read(node.replica, name: node.name)) }
        } catch {
            return ["could not read a replica: \(error)"]
        }
        var problems: [String] = []
        for (index, contents) in all.enumerated() {
            problems += contents.selfConsistencyProblems
            if contents.pending > 0 {
                // What the server said about them, if it refused them (messages name no values).
                let refusals = index == 0 ? [] : refusalMessages(world.nodes[index - 1].replica)
                problems.append(
                    "\(contents.name): \(contents.pending) records still pending after the final sync"
                        + (refusals.isEmpty ? "" : "; refused: " + refusals.joined(separator: "; ")))
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
        let stable = (try? await world.server.stableVector()) ?? .empty
        problems += collectionProblems(all, stable: stable, collectsEverything: collectsEverything(world))
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

    /// Why the server refused the changes of the replica's last push, if it did.
    private static func refusalMessages(_ replica: Replica) -> [String] {
        ((try? replica.read { try $0.pushRefusals() }) ?? []).map(\.message)
    }

    /// Tombstones left where they should be gone: on any replica, one that the server's final
    /// stable vector covers (collectable but not collected); and when every registered node
    /// syncs with the server, any at all (all nodes synced until nothing changed, so every
    /// write is settled and stable, and every tombstone collectable).
    static func collectionProblems(_ all: [ReplicaContents], stable: VersionVector, collectsEverything: Bool)
        -> [String]
    {
        var problems: [String] = []
        for contents in all {
            let tombstones = contents.states.values.filter(\.isDeleted)
            let collectable = tombstones.filter { TombstoneCollection.isCollectable($0, stable: stable) }
            if let first = collectable.min(by: { ReplicaContents.key($0) < ReplicaContents.key($1) }) {
                problems.append(
                    "\(contents.name): \(collectable.count) tombstones the stable vector \(stable) covers are "
                        + "not collected, e.g. \(ReplicaContents.key(first)): \(describe(first))")
            } else if collectsEverything, contents.name == "server", let first = tombstones.first {
                problems.append(
                    "server: collection stalled: \(tombstones.count) tombstones left after every node synced "
                        + "until nothing changed (stable vector \(stable)), e.g. \(ReplicaContents.key(first)): "
                        + describe(first))
            }
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
