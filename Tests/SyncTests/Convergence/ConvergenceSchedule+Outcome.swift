import SyncCore

extension ConvergenceSchedule {
    /// What a schedule did, and what went wrong.
    struct Outcome: Sendable {
        var seed: UInt64
        var replicas = 0
        var operations = 0
        var refused = 0
        var resolutions = 0
        var syncs = 0
        var failedSyncs = 0
        /// Syncs of laptops (with their hub, or with the server), and those with the server.
        var laptopSyncs = 0
        var laptopSyncsWithServer = 0
        /// Changes refused by authorship in syncs (kept pending and sent again, PROTOCOL.md §16.3).
        var refusedBySync = 0
        var files = ChangeFileCourier.Counts()
        /// Conflicts still open on every replica at the end (their sets were compared).
        var openConflictsAtEnd = 0
        var faults = FaultCounts()
        var incidents = IncidentCounts()
        /// Deleted records every replica forgot by the end (tombstones collected).
        var collectedTombstones = 0
        /// Schedules (0 or 1 here) whose stable vector was not empty before the final sync, and at the end.
        var stableMidRun = 0
        var stableAtEnd = 0
        var problems: [String] = []
        var trace: [String] = []

        /// Adds another schedule's counts to these totals.
        mutating func add(_ other: Outcome) {
            replicas += other.replicas
            operations += other.operations
            refused += other.refused
            resolutions += other.resolutions
            syncs += other.syncs
            failedSyncs += other.failedSyncs
            laptopSyncs += other.laptopSyncs
            laptopSyncsWithServer += other.laptopSyncsWithServer
            refusedBySync += other.refusedBySync
            files = files + other.files
            openConflictsAtEnd += other.openConflictsAtEnd
            faults = faults + other.faults
            incidents = incidents + other.incidents
            collectedTombstones += other.collectedTombstones
            stableMidRun += other.stableMidRun
            stableAtEnd += other.stableAtEnd
        }

        /// Counts one local operation and gives the model the states it wrote.
        mutating func note(_ result: OperationGenerator.Outcome, in model: inout ConvergenceModel, label: String = "") {
            operations += 1
            trace.append(label + result.summary)
            if result.refusal != nil { refused += 1 }
            if result.resolvedConflict { resolutions += 1 }
            if let failure = result.failure { problems.append(failure) }
            model.note(result.states, by: result.node, writer: result.writer)
        }

        /// Gives the model the records replicas deleted again by themselves since the last call.
        mutating func noteRedeletions(_ world: SimulatedWorld, in model: inout ConvergenceModel) {
            for redeletion in world.redeletions {
                model.note(redeletion.states, by: redeletion.node, writer: redeletion.writer)
                trace.append(
                    "  \(redeletion.states.count) deletes of its own found after that exchange (zombies deleted again, "
                        + "or deletes made during it)")
            }
            world.redeletions = []
        }

        /// Gives the model the renumberings the world's syncs did since the last call.
        mutating func noteRenumberings(_ world: SimulatedWorld, in model: inout ConvergenceModel) {
            for renumbering in world.renumberings {
                let dropped = model.renumber(renumbering)
                incidents.renumberings += 1
                trace.append(
                    "\(renumbering.nodeName): writes after \(renumbering.watermark) of writer "
                        + "\(renumbering.oldWriter.short) renumbered under \(renumbering.newWriter.short) "
                        + "(\(dropped) old dots never reached the server)")
            }
            world.renumberings = []
        }
    }
}

/// How often each incident happened (`ScheduleIncidents`).
struct IncidentCounts: Sendable, Hashable {
    /// Nodes that started on `OlderRelease`, and those upgraded mid-run.
    var olderNodes = 0
    var upgrades = 0
    var restores = 0
    /// Writes a restored node lost with its replica (made after the backup, never pushed).
    var lostWrites = 0
    /// Writes made on a restored copy before its next sync.
    var writesOnRestoredCopies = 0
    var longPartitions = 0
    var readmissions = 0
    /// Syncs that moved a node's writes to a new writer identity.
    var renumberings = 0

    static func + (lhs: IncidentCounts, rhs: IncidentCounts) -> IncidentCounts {
        IncidentCounts(
            olderNodes: lhs.olderNodes + rhs.olderNodes, upgrades: lhs.upgrades + rhs.upgrades,
            restores: lhs.restores + rhs.restores, lostWrites: lhs.lostWrites + rhs.lostWrites,
            writesOnRestoredCopies: lhs.writesOnRestoredCopies + rhs.writesOnRestoredCopies,
            longPartitions: lhs.longPartitions + rhs.longPartitions,
            readmissions: lhs.readmissions + rhs.readmissions, renumberings: lhs.renumberings + rhs.renumberings)
    }
}
