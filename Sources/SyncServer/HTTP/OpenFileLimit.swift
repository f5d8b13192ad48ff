#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The number of files (sockets included) the process may hold open.
///
/// Every node watching (`hearth sync --watch`) holds a connection open to its server, so a
/// server's share of descriptors grows with its nodes; many systems start a process at a soft
/// limit of 1,024, far below what the same system allows. A server raises its soft limit to the
/// hard one at start, as most servers do; nothing else changes.
public enum OpenFileLimit {
    /// Raises the soft limit to the hard limit; returns the limit now in force (nil if unknown).
    @discardableResult
    public static func raiseToHard() -> UInt64? {
        var limit = rlimit()
        guard getrlimit(resourceLimit, &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resourceLimit, &raised) == 0 { return UInt64(raised.rlim_cur) }
        }
        return UInt64(limit.rlim_cur)
    }

    #if canImport(Glibc)
        private static let resourceLimit = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
        private static let resourceLimit = RLIMIT_NOFILE
    #endif
}
