import HearthTestSupport
import SyncClient

/// How often the simulated network misbehaves, each in per mille of the requests it carries.
struct FaultRates: Sendable, Hashable, CustomStringConvertible {
    /// The request never reaches the server: nothing happens there, the client gets an error.
    var dropRequest = 0
    /// The server handles the request but the answer is lost: the client gets an error.
    var dropResponse = 0
    /// A push reaches the server twice (a retry by a proxy).
    var duplicatePush = 0
    /// A push is held in the network and reaches the server later, after other traffic (the
    /// client times out meanwhile): deliveries are reordered.
    var delayPush = 0
    /// A pull is answered with an older answer to the same request (a stale cache).
    var replayPull = 0
    /// Staff write on the node while its sync is in flight (after a push is applied, before its
    /// answer arrives; or just before a pulled page is applied). Not a network fault, but the
    /// network is where the simulation sees a sync's steps.
    var writeDuringSync = 0

    static let none = FaultRates()

    /// Calm, flaky or stormy: chosen once per schedule.
    static func random(using random: inout SeededGenerator) -> FaultRates {
        switch random.int(0...3) {
        case 0:
            return .none
        case 1:
            return FaultRates(
                dropRequest: random.int(0...40), dropResponse: random.int(0...40), duplicatePush: random.int(0...40),
                delayPush: random.int(0...40), replayPull: random.int(0...40), writeDuringSync: random.int(0...60))
        default:
            return FaultRates(
                dropRequest: random.int(20...120), dropResponse: random.int(20...120),
                duplicatePush: random.int(20...150),
                delayPush: random.int(20...120), replayPull: random.int(20...150), writeDuringSync: random.int(30...150)
            )
        }
    }

    var description: String {
        "drop request \(dropRequest)‰, drop response \(dropResponse)‰, duplicate push \(duplicatePush)‰, "
            + "delay push \(delayPush)‰, replay pull \(replayPull)‰, write during sync \(writeDuringSync)‰"
    }
}

/// What the simulated network did, counted.
struct FaultCounts: Sendable, Hashable {
    var droppedRequests = 0
    var droppedResponses = 0
    var duplicatedPushes = 0
    var delayedPushes = 0
    var lateDeliveries = 0
    var replayedPulls = 0
    var refusedByPartition = 0
    var writesDuringSync = 0
    /// Requests the server refused because their token was revoked (not a fault: a consequence of one).
    var refusedTokens = 0
    /// Requests that reached another server process than their node's previous request (with
    /// several servers; not a fault).
    var serverSwitches = 0

    /// The faults injected (refused tokens are left out).
    var total: Int {
        droppedRequests + droppedResponses + duplicatedPushes + delayedPushes + replayedPulls + refusedByPartition
            + writesDuringSync
    }

    static func + (lhs: FaultCounts, rhs: FaultCounts) -> FaultCounts {
        FaultCounts(
            droppedRequests: lhs.droppedRequests + rhs.droppedRequests,
            droppedResponses: lhs.droppedResponses + rhs.droppedResponses,
            duplicatedPushes: lhs.duplicatedPushes + rhs.duplicatedPushes,
            delayedPushes: lhs.delayedPushes + rhs.delayedPushes,
            lateDeliveries: lhs.lateDeliveries + rhs.lateDeliveries,
            replayedPulls: lhs.replayedPulls + rhs.replayedPulls,
            refusedByPartition: lhs.refusedByPartition + rhs.refusedByPartition,
            writesDuringSync: lhs.writesDuringSync + rhs.writesDuringSync,
            refusedTokens: lhs.refusedTokens + rhs.refusedTokens,
            serverSwitches: lhs.serverSwitches + rhs.serverSwitches)
    }
}

/// The error the simulated network raises for a lost message, shaped like a real network failure.
enum SimulatedFault {
    static let marker = "simulated network:"

    static func lost(_ what: String) -> SyncClientError {
        SyncClientError(.unreachable, "\(marker) \(what)")
    }

    /// True when `error` is a fault the simulation injected (and not a failure of the code under test).
    static func isInjected(_ error: any Error) -> Bool {
        guard let error = error as? SyncClientError else { return false }
        return error.code == .unreachable && error.message.hasPrefix(marker)
    }
}
