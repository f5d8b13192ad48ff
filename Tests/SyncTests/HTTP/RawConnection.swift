import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A plain TCP connection to a test server, for sending bytes no HTTP client would send
/// (broken chunked encoding, a body cut off, nothing at all).
///
/// Blocking; every read gives up after `readTimeout` seconds so a test always ends by itself.
final class RawConnection {
    private let socket: Int32

    init(port: Int, readTimeout: Int = 30) throws {
        #if canImport(Glibc)
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socket >= 0 else { throw RawConnectionError(message: "socket() failed") }
        var timeout = timeval(tv_sec: readTimeout, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            throw RawConnectionError(message: "connect() failed")
        }
    }

    deinit { close(socket) }

    /// Runs blocking socket work on a thread of its own, never on a shared pool: the server under
    /// test answers on Swift's cooperative threads and does its SQLite work on dispatch's global
    /// threads, each a thread per core, and a read blocking one of them while other tests block
    /// the rest would wait for an answer that cannot come.
    static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    /// Connects to `port`, sends `parts` in order (then shuts its side when `finishing`), and
    /// returns what the server sends until it closes; all on a thread of its own (`offThePool`).
    static func exchange(port: Int, _ parts: [Data], finishing: Bool = false) async throws
        -> (data: Data, closedByServer: Bool)
    {
        try await offThePool {
            let connection = try RawConnection(port: port)
            for part in parts { try connection.send(part) }
            if finishing { connection.finishSending() }
            return connection.readUntilClosed()
        }
    }

    static func exchange(port: Int, _ parts: String..., finishing: Bool = false) async throws
        -> (data: Data, closedByServer: Bool)
    {
        try await exchange(port: port, parts.map { Data($0.utf8) }, finishing: finishing)
    }

    func send(_ text: String) throws {
        try send(Data(text.utf8))
    }

    func send(_ data: Data) throws {
        let sent = data.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == data.count else { throw RawConnectionError(message: "send() failed") }
    }

    /// Stops sending (the server sees the end of its input) while still reading.
    func finishSending() {
        shutdown(socket, Int32(SHUT_WR))
    }

    /// What the server sends until it closes the connection; `closedByServer` is false when
    /// the read timed out with the connection still open.
    func readUntilClosed() -> (data: Data, closedByServer: Bool) {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno == ECONNRESET {
                return (data, true)
            } else {
                return (data, false)
            }
        }
    }
}

struct RawConnectionError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
