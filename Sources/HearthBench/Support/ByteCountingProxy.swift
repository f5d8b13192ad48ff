import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP relay on 127.0.0.1 that forwards to a server and counts the bytes each way: what
/// really crosses the wire (HTTP request line, headers and gzip bodies), with nothing re-encoded.
///
/// Blocking sockets and two threads per connection: simple and exact, meant for B6 where one
/// node talks to the server over one connection at a time.
final class ByteCountingProxy: Sendable {
    struct Counts: Sendable {
        /// Client to server: requests.
        var up = 0
        /// Server to client: responses.
        var down = 0
    }

    let port: Int
    private let listener: Int32
    private let upstreamPort: Int
    private let counts = Mutex(Counts())
    private let relays = Mutex<[Relay]>([])

    init(upstreamPort: Int) throws {
        let opened = try LoopbackSocket.listen()
        listener = opened.fd
        port = opened.port
        self.upstreamPort = upstreamPort
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// The bytes relayed so far.
    var total: Counts { counts.withLock { $0 } }

    /// Stops accepting and cuts open connections.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for relay in relays.withLock({ $0 }) { relay.cut() }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            guard let server = try? LoopbackSocket.connect(port: upstreamPort) else {
                close(client)
                continue
            }
            let relay = Relay(client: client, server: server)
            relays.withLock { $0.append(relay) }
            Thread.detachNewThread { [self] in pump(relay, from: client, to: server, upstream: true) }
            Thread.detachNewThread { [self] in pump(relay, from: server, to: client, upstream: false) }
        }
    }

    private func pump(_ relay: Relay, from source: Int32, to destination: Int32, upstream: Bool) {
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        reading: while true {
            let received = recv(source, buffer, capacity, 0)
            if received < 0 && errno == EINTR { continue }
            if received <= 0 { break }
            var sent = 0
            while sent < received {
                let written = send(destination, buffer + sent, received - sent, Int32(MSG_NOSIGNAL))
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { break reading }
                sent += written
            }
            counts.withLock { upstream ? ($0.up += received) : ($0.down += received) }
        }
        shutdown(destination, Int32(SHUT_WR))
        relay.pumpFinished()
    }
}

/// One relayed connection: closed when both directions have finished.
private final class Relay: Sendable {
    private let client: Int32
    private let server: Int32
    /// Pumps finished (0, 1, 2); the sockets are closed at 2 and never touched again.
    private let finished = Mutex(0)

    init(client: Int32, server: Int32) {
        self.client = client
        self.server = server
    }

    func pumpFinished() {
        finished.withLock { count in
            count += 1
            if count == 2 {
                close(client)
                close(server)
            }
        }
    }

    func cut() {
        finished.withLock { count in
            if count < 2 {
                shutdown(client, Int32(SHUT_RDWR))
                shutdown(server, Int32(SHUT_RDWR))
            }
        }
    }
}
