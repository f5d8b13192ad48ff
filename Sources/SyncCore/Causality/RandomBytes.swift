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

    /// The next 16 random bytes, as two words read in memory order (no array to allocate).
    static func take16() -> (UInt64, UInt64) {
        pool.withLock { pool in
            if pool.bytes.count - pool.next < 16 {
                pool.bytes = systemRandom(refillSize)
                pool.next = 0
            }
            defer { pool.next += 16 }
            return pool.bytes.withUnsafeBytes { bytes in
                (
                    bytes.loadUnaligned(fromByteOffset: pool.next, as: UInt64.self),
                    bytes.loadUnaligned(fromByteOffset: pool.next + 8, as: UInt64.self)
                )
            }
        }
    }

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
