public import Foundation
public import Replica

/// Files `hearth` writes for people to carry (change files, exports): they hold personal
/// data, so they are created owner-only (mode 0600), written whole, and replace a file only
/// when asked to.
public enum PrivateFile {
    /// Writes `bytes` to a new file at `path`: first to a temporary sibling, flushed, then
    /// linked into place, so a crash leaves no half-written file under that name. Refuses when
    /// something is already there, unless `replacing`: then the sibling is renamed over it, so
    /// the file at `path` is a new one with mode 0600 whatever the old one had.
    public static func create(_ path: String, bytes: some Sequence<UInt8>, replacing: Bool = false)
        throws(ReplicaError)
    {
        guard replacing || !FileManager.default.fileExists(atPath: path) else {
            throw ReplicaError(.alreadyExists, "\(path) already exists; choose another --out or move it aside")
        }
        let temporary = path + ".part-\(UInt32.random(in: .min ... .max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw ReplicaError(.invalidInput, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        let data = Data(bytes)
        var failure: Int32 = 0
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure == 0, fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        // `link` refuses to replace a file that appeared meanwhile, unlike `rename`.
        if failure == 0, (replacing ? rename(temporary, path) : link(temporary, path)) != 0 { failure = errno }
        unlink(temporary)
        if failure != 0 {
            throw ReplicaError(.invalidInput, "cannot write \(path): \(String(cString: strerror(failure)))")
        }
    }
}
