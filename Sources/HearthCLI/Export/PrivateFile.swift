import Foundation
public import Replica

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a file that holds personal data: readable and writable by its owner only (mode 0600),
/// and complete or absent, never half written.
///
/// The bytes go to a new sibling file created with `O_EXCL` and mode 0600, are flushed, and then
/// the sibling takes the final name: by `link` when nothing may be replaced (it fails if the name
/// exists, so two exports at once cannot overwrite each other), by `rename` when `replacing`. A
/// replaced file is a new one, so it has mode 0600 whatever the old one had.
public enum PrivateFile {
    public static func write(_ bytes: [UInt8], to path: String, replacing: Bool) throws(ReplicaError) {
        if !replacing, FileManager.default.fileExists(atPath: path) {
            throw existsError(path)
        }
        let temporary = "\(path).part-\(String(UInt32.random(in: .min ... .max), radix: 16))"
        let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("create", path, errno) }
        defer { unlink(temporary) }
        fchmod(fd, 0o600)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                throw failure("write", path, code)
            }
            written += result
        }
        if fsync(fd) != 0 || close(fd) != 0 { throw failure("write", path, errno) }
        if replacing {
            guard rename(temporary, path) == 0 else { throw failure("replace", path, errno) }
        } else if link(temporary, path) != 0 {
            throw errno == EEXIST ? existsError(path) : failure("create", path, errno)
        }
    }

    /// The C library's `write`, named apart from this type's own `write`.
    private static func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.write(fd, buffer, count)
        #elseif canImport(Musl)
            Musl.write(fd, buffer, count)
        #else
            Darwin.write(fd, buffer, count)
        #endif
    }

    static func existsError(_ path: String) -> ReplicaError {
        ReplicaError(.alreadyExists, "\(path) already exists; give another --out file, or pass --force to replace it")
    }

    static func failure(_ action: String, _ path: String, _ code: Int32) -> ReplicaError {
        if code == ENOSPC || code == EDQUOT {
            return ReplicaError(.diskFull, "the disk is full: cannot \(action) \(path); free some space and try again")
        }
        return ReplicaError(.storage, "cannot \(action) \(path): \(String(cString: strerror(code)))")
    }
}
