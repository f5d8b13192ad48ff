import Foundation
import HearthProtocol
import SyncClient
import SyncServer

/// What the simulated network does to messages on their way, as HTTP would: JSON and
/// `WireCodec` round trips, and the client errors a service's refusals become.
extension SimulatedNetwork {
    /// The `SyncClientError` an HTTP client would see for a service error (the error codes of
    /// the protocol decide it, as in `HTTPSyncTransport`); the original is kept as the cause.
    static func clientError(for error: any Error) -> any Error {
        guard let refusal = error as? SyncServerError else { return error }
        let code: SyncClientError.Code =
            switch refusal.code {
            case ErrorCode.unauthorized: .unauthorized
            case ErrorCode.forbidden: .forbidden
            case ErrorCode.protocolTooOld: .protocolTooOld
            case ErrorCode.protocolTooNew: .protocolTooNew
            case ErrorCode.cursorAhead: .cursorAhead
            case ErrorCode.internalError: .server
            default: .rejected
            }
        return SyncClientError(code, refusal.message, cause: refusal)
    }

    /// Sends a message through JSON, as the HTTP transport would.
    func wire<T: Codable>(_ message: T) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: JSONEncoder().encode(message))
        } catch {
            noteUnexpected("a \(T.self) did not survive a JSON round trip: \(error)")
            throw error
        }
    }

    /// Pages of changes go through `WireCodec`, as the HTTP transport and server write and read them.
    func wire(_ request: PushRequest) throws -> PushRequest {
        do {
            return PushRequest(states: try WireCodec.decodePushRequest(WireCodec.encode(request)))
        } catch {
            noteUnexpected("a PushRequest did not survive a WireCodec round trip: \(error)")
            throw error
        }
    }

    func wire(_ response: PullResponse) throws -> PullResponse {
        do {
            return try WireCodec.decodePullResponse(WireCodec.encode(response))
        } catch {
            noteUnexpected("a PullResponse did not survive a WireCodec round trip: \(error)")
            throw error
        }
    }
}
