import HearthTestSupport
import Replica
import SyncCore
import Testing

/// The casework types (cases, enrolments, claims, certificates) are declarations only: they
/// sync, merge, conflict, resolve and digest through the generic code, with the real sync engine
/// and sync service of the convergence kit, and no code written for them.
@Suite("Casework types sync through the generic code")
struct CaseworkSyncTests {
    let member = HearthSchema.member
    let assistanceCase = HearthSchema.assistanceCase
    let enrolment = HearthSchema.enrolment
    let claim = HearthSchema.claim
    let certificate = HearthSchema.certificate

    func settle(_ world: SimulatedWorld) async throws {
        let problems = await ConvergenceChecker.settle(world)
        try #require(problems.isEmpty, "\(problems)")
        let replicas = [world.serverReplica] + world.nodes.map(\.replica)
        let digests = try replicas.map { replica in try replica.read { try $0.digest() } }
        #expect(Set(digests).count == 1, "every replica holds the same data")
        for replica in replicas {
            #expect(try replica.read { try $0.recomputedDigest() } == digests[0], "the kept digest is the real one")
        }
    }

    @Test func casesEnrolmentsClaimsAndCertificatesMergeConflictAndConverge() async throws {
        let world = try SimulatedWorld()
        defer { world.close() }
        let x = try await world.addNode("沙头服务中心", id: ConflictScenarioTests.nodeID(1))
        let y = try await world.addNode("志愿者-2", id: ConflictScenarioTests.nodeID(2))
        let z = try await world.addNode("工业园服务中心", id: ConflictScenarioTests.nodeID(3))
        let worker = try x.replica.write { tx in try tx.insert(member, ["name": .text("王建国")]) }.id
        let dispute = try x.replica.write { tx in
            try tx.insert(
                assistanceCase,
                [
                    "kind": .text("labour-dispute"), "enterprise": .text("古镇酒厂"), "openedOn": .text("2024-03-01"),
                    "status": .text("open"), "workers": .integer(45), "amountFen": .integer(120_000_000),
                ])
        }.id
        try await settle(world)

        // Offline: Y and Z change the amount (a true conflict), and different fields (a merge);
        // both enrol the same worker for 2024 (one record, by its derived id).
        try y.replica.write { tx in
            try tx.update(assistanceCase, id: dispute, ["amountFen": .integer(150_000_000), "outcome": .text("调解成功")])
            try tx.insert(
                enrolment, ["memberId": .text(worker), "planYear": .integer(2024), "paidInFen": .integer(5_000)])
        }
        try z.replica.write { tx in
            try tx.update(assistanceCase, id: dispute, ["amountFen": .integer(130_000_000), "workers": .integer(52)])
            try tx.insert(
                enrolment, ["memberId": .text(worker), "planYear": .integer(2024), "paidInFen": .integer(5_000)])
            try tx.insert(
                certificate,
                [
                    "memberId": .text(worker), "trade": .text("焊工"), "level": .text("senior"),
                    "issuedOn": .text("2024-05-20"),
                ])
        }
        try await settle(world)

        for replica in [world.serverReplica] + world.nodes.map(\.replica) {
            let state = try #require(try replica.read { try $0.record(assistanceCase, id: dispute) })
            #expect(state.conflictedFields == ["amountFen"])
            #expect(state.value("outcome") == .text("调解成功") && state.value("workers") == .integer(52))
            #expect(try replica.read { try $0.count(enrolment) } == 1)
            #expect(try replica.read { try $0.count(certificate) } == 1)
            #expect(try replica.read { try $0.conflicts() }.map(\.field) == ["amountFen"])
        }

        // X settles the amount; a claim on the shared enrolment follows it everywhere.
        let report = try #require(try x.replica.read { try $0.conflicts() }.first)
        try x.replica.write { tx in try tx.resolve(report, .value("140000000")) }
        let enrolled = try #require(try x.replica.read { try $0.list(enrolment) }.first)
        try x.replica.write { tx in
            try tx.insert(
                claim,
                ["enrolmentId": .text(enrolled.id), "paidOn": .text("2024-09-01"), "amountFen": .integer(300_000)])
        }
        try await settle(world)
        for replica in [world.serverReplica] + world.nodes.map(\.replica) {
            #expect(try replica.read { try $0.conflicts() }.isEmpty)
            #expect(
                try replica.read { try $0.record(assistanceCase, id: dispute) }?.value("amountFen")
                    == .integer(140_000_000))
            #expect(try replica.read { try $0.count(claim) } == 1)
        }
        _ = y
        _ = z
    }
}
