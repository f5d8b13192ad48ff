import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Cryptographically random bytes from the system generator, drawn a page at a time.
///
/// A record id needs 16 random bytes. Asking the system for each costs a system call per
/// insert, more than the rest of building the id; one call per 256 ids does the same job.
enum RandomBytes {
    private struct Pool {
        var bytes: [UInt8] = []
        var next = 0
    }

    private static let pool = Mutex(Pool())
    private static let refillSize = 4_096

    static func take(_ count: Int) -> [UInt8] {
        precondition(count <= refillSize)
        return pool.withLock { pool in
            if pool.bytes.count - pool.next < count {
                pool.bytes = systemRandom(refillSize)
                pool.next = 0
            }
            defer { pool.next += count }
            return Array(pool.bytes[pool.next..<pool.next + count])
        }
    }

    /// `count` bytes from the kernel's generator (`/dev/urandom`, one read), or from Swift's
    /// system generator where that file cannot be read.
    private static func systemRandom(_ count: Int) -> [UInt8] {
        #if canImport(Glibc)
            let file = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
            if file >= 0 {
                defer { close(file) }
                var bytes = [UInt8](repeating: 0, count: count)
                var filled = 0
                while filled < count {
                    let got = bytes.withUnsafeMutableBytes { buffer in
                        read(file, buffer.baseAddress! + filled, count - filled)
                    }
                    if got > 0 { filled += got } else if got == 0 || errno != EINTR { break }
                }
                if filled == count { return bytes }
            }
        #endif
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
