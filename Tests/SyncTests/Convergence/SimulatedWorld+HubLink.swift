import HearthTestSupport
import Replica
import SyncCore

/// How one exchange between a laptop and its hub misbehaves.
struct HubLinkFaults: Sendable, Hashable {
    /// The laptop's states never reach the hub.
    var loseUpload = false
    /// They reach the hub but the laptop never learns so: it keeps them pending and sends them again.
    var loseAcknowledgement = false
    /// The hub receives the laptop's page twice.
    var duplicateUpload = false
    /// Per mille of the hub's states that reach the laptop (the rest are lost); they arrive shuffled.
    var downloadShare = 1_000
    var shuffleDownload = false

    static let none = HubLinkFaults()

    static func random(using random: inout SeededGenerator) -> HubLinkFaults {
        guard random.chance(400) else { return .none }
        return HubLinkFaults(
            loseUpload: random.chance(200), loseAcknowledgement: random.chance(200),
            duplicateUpload: random.chance(250),
            downloadShare: random.chance(300) ? random.int(0...1_000) : 1_000, shuffleDownload: true)
    }
}

extension SimulatedWorld {
    /// Carries the laptop's pending states to its hub page by page, as the hub's downstream,
    /// and acknowledges each page on the laptop. Returns how many states reached the hub.
    @discardableResult
    func upload(
        from laptop: SimulatedNode, to hub: SimulatedNode, pageSize: Int = 500, faults: HubLinkFaults = .none
    ) throws -> Int {
        var sent = 0
        for _ in 0..<1_000 {
            let page = try laptop.replica.pendingRecords(limit: pageSize)
            if page.isEmpty || faults.loseUpload { break }
            try hub.replica.write { transaction in
                for record in page { try transaction.apply(record.state, from: .downstream(laptop.id)) }
                if faults.duplicateUpload {
                    for record in page { try transaction.apply(record.state, from: .downstream(laptop.id)) }
                }
            }
            sent += page.count
            if faults.loseAcknowledgement { break }
            try laptop.replica.acknowledge(page)
        }
        return sent
    }

    /// Carries the hub's record states to the laptop, as the laptop's upstream, in a few
    /// transactions. Returns how many states were delivered.
    @discardableResult
    func download(
        to laptop: SimulatedNode, from hub: SimulatedNode, faults: HubLinkFaults = .none, random: inout SeededGenerator
    ) throws -> Int {
        let (states, names) = try hub.replica.read { reader in
            (try ReplicaContents.allStates(reader), try reader.nodeNames())
        }
        try laptop.replica.rememberNodeNames(names)
        var delivered = faults.shuffleDownload ? states.shuffled(using: &random) : states
        delivered = delivered.filter { _ in faults.downloadShare >= 1_000 || random.chance(faults.downloadShare) }
        var start = 0
        while start < delivered.count {
            let end = min(delivered.count, start + random.int(1...8))
            try laptop.replica.write { transaction in
                for state in delivered[start..<end] { try transaction.apply(state, from: .upstream) }
            }
            start = end
        }
        return delivered.count
    }

    /// Laptop to hub, then hub to laptop: what a laptop does when it docks at its center.
    func exchange(laptop: SimulatedNode, faults: HubLinkFaults = .none, random: inout SeededGenerator) throws {
        guard let hub = hub(of: laptop) else { return }
        try upload(from: laptop, to: hub, pageSize: random.int(1...6), faults: faults)
        try download(to: laptop, from: hub, faults: faults, random: &random)
    }
}
