import HearthProtocol
import HearthTestSupport
import Replica
import SyncCore
import Synchronization

/// How the schedule steers the simulated network, and what it reads back from it.
extension SimulatedNetwork {
    func setRates(_ rates: FaultRates) {
        state.withLock { $0.rates = rates }
    }

    func setPartitioned(_ node: NodeID, _ isPartitioned: Bool) {
        state.withLock { state in
            if isPartitioned { state.partitioned.insert(node) } else { state.partitioned.remove(node) }
        }
    }

    func isPartitioned(_ node: NodeID) -> Bool {
        state.withLock { $0.partitioned.contains(node) }
    }

    /// No more faults and no partitions: for the final full sync.
    func heal() {
        state.withLock { state in
            state.rates = .none
            state.partitioned = []
        }
    }

    /// Lets the network make local writes on `node` while it syncs (see `FaultRates.writeDuringSync`);
    /// called again when the node's replica is replaced.
    func allowWritesDuringSync(on node: SimulatedNode) {
        state.withLock { $0.writers[node.id] = node }
    }

    /// The writes made during syncs since the last call.
    func collectWritesDuringSync() -> [OperationGenerator.Outcome] {
        state.withLock { state in
            defer { state.writesDuringSync = [] }
            return state.writesDuringSync
        }
    }

    /// The states in the pushes `sender` has held in the network with `token`: they will reach
    /// the server (a push with a token revoked meanwhile will not).
    func heldStates(from sender: NodeID, token: String) -> [RecordState] {
        let requests = state.withLock { state in
            state.delayed.filter { $0.sender == sender && $0.token == token }.map(\.request)
        }
        return requests.flatMap { $0.changes.compactMap { try? $0.recordState() } }
    }

    var counts: FaultCounts { state.withLock { $0.counts } }
    /// Errors the service raised that no fault explains (a 403 for an honest node, a failed merge…).
    var unexpectedErrors: [String] { state.withLock { $0.unexpected } }
    var delayedCount: Int { state.withLock { $0.delayed.count } }

    /// Forgets which node each token belongs to: call it when the server revokes or readmits a
    /// node, so that its old token is refused from then on.
    func forgetTokens() {
        state.withLock { $0.tokens = [:] }
    }
}
