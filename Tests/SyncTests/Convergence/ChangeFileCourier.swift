import HearthProtocol
import HearthTestSupport
import Replica
import SyncCore
import SyncServer

/// Change files carried by hand between laptops and their hubs (`hearth bundle export|import`):
/// a laptop's file for its hub (what it has pending, or everything it holds), imported there as
/// the laptop's push, and a hub's file for one of its laptops, imported there as a pulled page.
///
/// Files go astray as on a USB stick: one is imported twice, an older one is imported after a
/// newer, a copy arrives truncated or with a byte changed. Every import is checked on the spot:
///
/// - a damaged copy is refused whole and leaves the replica's digest as it was;
/// - a good file is refused whole only where the protocol says so (the hub does not know the
///   laptop's signing key yet: it has never synced with it; the laptop's last upstream is not
///   this hub), and then changes nothing either;
/// - an imported file loses nothing the replica held (every record still there, its vector not
///   lower), and afterwards the replica holds every write of the file that it did not refuse
///   and that is not under its stable vector (those were collected: zombies, PROTOCOL.md §22.3);
/// - a file imported a second time changes nothing.
///
/// Changes refused inside an imported file (a laptop's file holding writes of others the hub
/// lacks) are documented behaviour: they stay pending on the laptop, as after a push.
struct ChangeFileCourier {
    /// What the courier carried, counted.
    struct Counts: Sendable, Hashable {
        var filesImported = 0
        var importedTwice = 0
        var staleImported = 0
        var damagedRefused = 0
        /// Good files refused whole, as the protocol says (an unknown key, another upstream).
        var refusedWhole = 0
        /// Changes refused inside imported files.
        var changesRefused = 0

        static func + (lhs: Counts, rhs: Counts) -> Counts {
            Counts(
                filesImported: lhs.filesImported + rhs.filesImported,
                importedTwice: lhs.importedTwice + rhs.importedTwice,
                staleImported: lhs.staleImported + rhs.staleImported,
                damagedRefused: lhs.damagedRefused + rhs.damagedRefused,
                refusedWhole: lhs.refusedWhole + rhs.refusedWhole,
                changesRefused: lhs.changesRefused + rhs.changesRefused)
        }
    }

    private enum Errand { case pendingToHub, everythingToHub, staleToHub, damagedToHub, toLaptop, damagedToLaptop }

    /// The last files each laptop made for its hub, oldest first, for stale imports.
    private var madeByLaptop: [NodeID: [[UInt8]]] = [:]
    private(set) var counts = Counts()
    /// What went wrong, until the schedule collects it.
    var problems: [String] = []

    /// One random errand between `laptop` and its hub; returns what it did, for the trace.
    mutating func carry(_ laptop: SimulatedNode, _ world: SimulatedWorld, random: inout SeededGenerator) async throws
        -> String
    {
        guard let hubNode = world.hub(of: laptop), let hub = world.hubs[hubNode.id] else { return "no hub" }
        let now = world.clock.current
        let errand = random.weighted([
            (Errand.pendingToHub, 4), (.everythingToHub, 2), (.staleToHub, 2), (.damagedToHub, 2), (.toLaptop, 3),
            (.damagedToLaptop, 1),
        ])
        switch errand {
        case .pendingToHub, .everythingToHub, .damagedToHub:
            let recipient: ChangeFileExport.Recipient = errand == .everythingToHub ? .anyone : .upstream(hubNode.id)
            let file = try ChangeFileExport.make(replica: laptop.replica, for: recipient, at: now)
            let bytes = try file.bytes(signedWith: laptop.replica.signingKey())
            let what = "\(laptop.name): file for its hub (\(errand == .everythingToHub ? "everything" : "pending"), "
            if errand == .damagedToHub {
                return what + "\(file.states.count) changes) " + (try damaged(bytes, into: hubNode, &random))
            }
            madeByLaptop[laptop.id, default: []].append(bytes)
            if madeByLaptop[laptop.id]!.count > 3 { madeByLaptop[laptop.id]!.removeFirst() }
            var done = try await importAtHub(bytes, from: laptop, hubNode, hub, world)
            if random.chance(300) {
                done += "; again: " + (try await importAtHub(bytes, from: laptop, hubNode, hub, world, again: true))
                counts.importedTwice += 1
            }
            return what + "\(file.states.count) changes) \(done)"
        case .staleToHub:
            guard let older = random.pick(madeByLaptop[laptop.id] ?? []) else { return "\(laptop.name): no older file" }
            counts.staleImported += 1
            return "\(laptop.name): an older file for its hub "
                + (try await importAtHub(older, from: laptop, hubNode, hub, world))
        case .toLaptop, .damagedToLaptop:
            guard let registered = try hub.registered(laptop.id) else { return "\(laptop.name): unknown at its hub" }
            let file = try ChangeFileExport.make(replica: hubNode.replica, for: .laptop(registered), at: now)
            let bytes = try file.bytes(signedWith: hubNode.replica.signingKey())
            let what = "\(hubNode.name): file for \(laptop.name) (\(file.states.count) changes) "
            if errand == .damagedToLaptop { return what + (try damaged(bytes, into: laptop, &random)) }
            return what + (try await importAtLaptop(bytes, laptop, from: hubNode, world))
        }
    }

    /// Imports a laptop's file at its hub and checks what it did.
    private mutating func importAtHub(
        _ bytes: [UInt8], from laptop: SimulatedNode, _ hubNode: SimulatedNode, _ hub: SimulatedHub,
        _ world: SimulatedWorld, again: Bool = false
    ) async throws -> String {
        let key = try laptop.replica.signingKey().publicKey.hex
        let keyKnown = try hub.store.signingKeys(of: laptop.id).contains(key)
        return try await importFile(
            bytes, into: hubNode, world, mayRefuse: !keyKnown,
            reason: "the hub does not know the laptop's signing key (it never synced with it)", again: again)
    }

    /// Imports a hub's file at the laptop and checks what it did.
    private mutating func importAtLaptop(
        _ bytes: [UInt8], _ laptop: SimulatedNode, from hubNode: SimulatedNode, _ world: SimulatedWorld
    ) async throws -> String {
        let fromItsUpstream = try laptop.replica.upstreamNodeID() == hubNode.id
        return try await importFile(
            bytes, into: laptop, world, mayRefuse: !fromItsUpstream,
            reason: "the laptop last synced with another upstream than this hub", again: false)
    }

    /// Reads and applies a file at `node`, as `hearth bundle import` does, then checks the rules
    /// above. A good file must be taken unless `mayRefuse`; a refused one must change nothing.
    private mutating func importFile(
        _ bytes: [UInt8], into node: SimulatedNode, _ world: SimulatedWorld, mayRefuse: Bool, reason: String,
        again: Bool
    ) async throws -> String {
        let before = try ImportSnapshot(node.replica)
        let mark = try WriteRenumbering.Mark(node.replica)
        let file: ChangeFile
        let outcome: ChangeFileImport.Outcome
        do {
            file = try ChangeFile.read(bytes)
            outcome = try await ChangeFileImport.apply(file, to: node.replica)
        } catch {
            if !mayRefuse { problems.append("\(node.name): a good change file was refused: \(error)") }
            if try ImportSnapshot(node.replica).digest != before.digest {
                problems.append("\(node.name): a change file refused whole changed the replica's digest")
            }
            counts.refusedWhole += 1
            return "refused whole (\(mayRefuse ? reason : "unexpectedly"))"
        }
        if mayRefuse { problems.append("\(node.name): a change file was imported although \(reason)") }
        if let redeletion = try Redeletion.detect(on: node, since: mark) { world.redeletions.append(redeletion) }
        let after = try ImportSnapshot(node.replica)
        problems += before.losses(comparedWith: after, at: node.name)
        problems += after.missing(
            file.states, refused: Set(outcome.refused.compactMap(Self.refusedIndex)), at: node.name)
        problems += ConvergenceSchedule.digestProblems(node)
        if again, after.digest != before.digest {
            problems.append("\(node.name): importing the same change file twice changed the replica the second time")
        }
        counts.filesImported += 1
        counts.changesRefused += outcome.refused.count
        return "imported at \(node.name): \(outcome.accepted) accepted, \(outcome.alreadyKnown) known, "
            + "\(outcome.refused.count) refused"
    }

    /// A truncated copy of `bytes`, or one with a byte changed, imported at `node`: refused whole,
    /// and the replica's digest unchanged.
    private mutating func damaged(_ bytes: [UInt8], into node: SimulatedNode, _ random: inout SeededGenerator) throws
        -> String
    {
        var copy = bytes
        let truncated = random.chance(500)
        if truncated {
            copy.removeLast(random.int(1...copy.count))
        } else {
            copy[random.int(0...copy.count - 1)] ^= UInt8(random.int(1...255))
        }
        let before = try node.replica.read { try $0.digest() }
        do {
            _ = try ChangeFile.read(copy)
            problems.append("\(node.name): a \(truncated ? "truncated" : "altered") change file was read as good")
        } catch {
            counts.damagedRefused += 1
        }
        if try node.replica.read({ try $0.digest() }) != before {
            problems.append("\(node.name): a damaged change file changed the replica's digest")
        }
        return "arrived \(truncated ? "truncated" : "altered") at \(node.name): refused"
    }

    /// The position a refusal message names (`change N: …`).
    private static func refusedIndex(_ message: String) -> Int? {
        guard message.hasPrefix("change ") else { return nil }
        return Int(message.dropFirst("change ".count).prefix(while: \.isNumber))
    }
}
