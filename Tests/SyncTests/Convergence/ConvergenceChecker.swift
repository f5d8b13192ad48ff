import Replica
import SyncCore
import SyncServer

/// The end of every schedule: a final full sync until nothing changes, then the proof that all
/// replicas (the server's included) hold the same data and the same open conflicts, and that
/// no tombstone every node has seen is left uncollected.
enum ConvergenceChecker {
    /// Heals every network, lets held messages arrive, then runs full sync rounds (laptops with
    /// their hubs, in the first round only, every center and hub with the server, laptops again) until every replica
    /// holds the same digest with nothing pending and the server holds no tombstone; or until a
    /// whole round changes nothing (then the replicas are stuck apart, or collection stalled,
    /// which `compare` reports). Returns problems found on the way.
    ///
    /// Collection takes rounds of its own after the data converged: a delete becomes stable
    /// once every node has reported its writes settled and then pulled from past that point (a
    /// laptop through its hub, which vouches for it at its next sync), and the others learn the
    /// stable vector at their next pull. So what counts as a change includes every replica's
    /// stable vector, where each node last pulled from, and what each hub vouches for.
    ///
    /// From the second round on, a node is skipped once everything has settled: a replica
    /// identical to the server's can learn nothing more from it.
    static func settle(_ world: SimulatedWorld, maxRounds: Int = 12, trace: inout [String]) async -> [String] {
        world.heal()
        let late = await world.deliverDelayed()
        if late > 0 { trace.append("final: \(late) held pushes arrive") }
        var previous = await fingerprint(world)
        for round in 1...maxRounds {
            var syncs = 0
            // A laptop's last sync of a round carries what it holds to its hub for the next one.
            for node in (round == 1 ? world.laptops : []) + world.syncingNodes + world.laptops {
                if round > 1, await isSettled(world) { break }
                if case .failure(let error) = await world.sync(node, fullPages: true) {
                    return ["final round \(round): \(node.name) could not sync with a healed network: \(error)"]
                }
                syncs += 1
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
    /// node, where each registered node last pulled from (at the server and at its hub), and
    /// where each hub vouches its laptops have pulled to.
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
        var hubs: [Fingerprint] = []
        for hub in world.hubs.values {
            for laptop in (try? hub.store.laptopsForUpstream()) ?? [] {
                hubs.append(
                    Fingerprint(
                        digest: laptop.id.rawValue, pending: Int(laptop.vouchedCursor),
                        stable: laptop.settled.sorted { $0.key.rawValue < $1.key.rawValue }.description))
            }
            for laptop in (try? hub.store.nodes()) ?? [] {
                hubs.append(Fingerprint(digest: laptop.id.rawValue, pending: Int(laptop.lastPullCursor), stable: "hub"))
            }
        }
        return [server] + replicas + pulls + hubs.sorted { ($0.digest, $0.stable) < ($1.digest, $1.stable) }
    }

    private struct Fingerprint: Hashable {
        var digest: String
        var pending: Int
        var stable: String
    }

    /// Every replica holds the same digest and has nothing left to send (digests read first:
    /// cheaper) and no tombstone is left. Asked before every sync of a round, so it stops at the
    /// first difference.
    private static func isSettled(_ world: SimulatedWorld) async -> Bool {
        guard let server = try? await world.server.digest() else { return false }
        for node in world.nodes where (try? node.replica.read { try $0.digest() }) != server { return false }
        guard world.nodes.allSatisfy({ (try? $0.replica.pendingRecordCount()) == 0 }) else { return false }
        return (try? await world.server.tombstoneCount()) == 0
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
        problems += collectionProblems(all, stable: stable)
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
    /// stable vector covers (collectable but not collected); and on the server, any at all (all
    /// nodes synced until nothing changed, laptops through hubs that vouch for them, so every
    /// write is settled and stable, and every tombstone collectable).
    static func collectionProblems(_ all: [ReplicaContents], stable: VersionVector) -> [String] {
        var problems: [String] = []
        for contents in all {
            let tombstones = contents.states.values.filter(\.isDeleted)
            let collectable = tombstones.filter { TombstoneCollection.isCollectable($0, stable: stable) }
            if let first = collectable.min(by: { ReplicaContents.key($0) < ReplicaContents.key($1) }) {
                problems.append(
                    "\(contents.name): \(collectable.count) tombstones the stable vector \(stable) covers are "
                        + "not collected, e.g. \(ReplicaContents.key(first)): \(describe(first))")
            } else if contents.name == "server", let first = tombstones.first {
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
