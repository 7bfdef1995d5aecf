// Synchronous file-system calls for the write-ahead log and snapshots: plain POSIX wrapped into Swift values.
// They touch no loop and no shared state, so they may run on the loop thread (start-up, recovery, opening a
// new segment: short calls) or inside a BackgroundWork closure on libuv's thread pool (snapshot writing).
// Anything that may stall on the disk while the loop serves clients (write + fdatasync of the log) goes
// through FileRequestChain instead. Every failure is a UVError carrying the negative errno (libuv's
// convention on Unix) and the call plus path, so messages name the file.
import Glibc

/// An open file descriptor; a plain value, closed explicitly with `FileSystem.close`.
package struct FileDescriptor: Sendable, Hashable {
    package let raw: Int32
    package init(raw: Int32) { self.raw = raw }
}

/// Blocking file-system helpers (see the file header for where they may be used).
package enum FileSystem {
    private static func failure(_ operation: String) -> UVError {
        UVError(code: -errno, operation: operation)
    }

    /// Opens `path` for writing at explicit offsets (never O_APPEND: pwrite needs its offset honoured);
    /// `create` makes it if missing, `truncate` empties it.
    package static func openForWriting(_ path: String, create: Bool, truncate: Bool = false) throws(UVError) -> FileDescriptor {
        var flags = O_WRONLY | O_CLOEXEC
        if create { flags |= O_CREAT }
        if truncate { flags |= O_TRUNC }
        let fd = Glibc.open(path, flags, 0o644)
        if fd < 0 { throw failure("open \(path)") }
        return FileDescriptor(raw: fd)
    }

    /// Opens a directory read-only, for `sync` after renames and creations inside it.
    package static func openDirectory(_ path: String) throws(UVError) -> FileDescriptor {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw failure("open \(path)") }
        return FileDescriptor(raw: fd)
    }

    /// The whole content of `path`.
    package static func readAll(_ path: String) throws(UVError) -> [UInt8] {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw failure("open \(path)") }
        defer { Glibc.close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw failure("stat \(path)") }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        var failed = false
        bytes.withUnsafeMutableBytes { buffer in
            while done < size {
                let n = Glibc.read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { failed = n < 0; break }
                done += n
            }
        }
        if failed { throw failure("read \(path)") }
        if done < size { bytes.removeLast(size - done) }
        return bytes
    }

    /// Writes all of `bytes` at `offset` (pwrite, repeated after short writes).
    package static func write(_ fd: FileDescriptor, _ bytes: ArraySlice<UInt8>, at offset: Int64) throws(UVError) {
        var done = 0
        var failed = false
        bytes.withUnsafeBytes { buffer in
            while done < buffer.count {
                let n = pwrite(fd.raw, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { failed = true; break }
                done += n
            }
        }
        if failed { throw failure("write") }
    }

    package static func sync(_ fd: FileDescriptor) throws(UVError) {
        if fsync(fd.raw) != 0 { throw failure("fsync") }
    }

    package static func dataSync(_ fd: FileDescriptor) throws(UVError) {
        if fdatasync(fd.raw) != 0 { throw failure("fdatasync") }
    }

    package static func truncate(_ fd: FileDescriptor, to length: Int64) throws(UVError) {
        if ftruncate(fd.raw, off_t(length)) != 0 { throw failure("ftruncate") }
    }

    package static func close(_ fd: FileDescriptor) {
        _ = Glibc.close(fd.raw)
    }

    /// Atomically replaces `to` by `from` (rename(2)); the directory still needs a `syncDirectory`.
    package static func rename(_ from: String, to: String) throws(UVError) {
        if Glibc.rename(from, to) != 0 { throw failure("rename \(from) → \(to)") }
    }

    package static func remove(_ path: String) throws(UVError) {
        if unlink(path) != 0 { throw failure("unlink \(path)") }
    }

    /// fsync of the directory itself, so created, renamed and removed names survive a power loss.
    package static func syncDirectory(_ path: String) throws(UVError) {
        let fd = try openDirectory(path)
        defer { close(fd) }
        try sync(fd)
    }

    /// Creates `path` (one level) if missing.
    package static func makeDirectory(_ path: String) throws(UVError) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw failure("mkdir \(path)") }
    }

    /// Names of the regular entries of a directory (no "." or ".."), unsorted.
    package static func list(_ path: String) throws(UVError) -> [String] {
        guard let dir = opendir(path) else { throw failure("opendir \(path)") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
