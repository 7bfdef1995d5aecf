// FileRequestChain: a short sequence of file operations (write at an offset, fdatasync, fsync, ftruncate)
// run one after another as libuv file-system requests. libuv performs each on its thread pool, so a slow
// disk never stalls the loop; the completion runs on the loop thread once the last operation finished or
// the first one failed. This is the write-ahead log's group commit: one chain per loop iteration's batch.
//
// Memory rule: the request and the copy of the bytes being written live in one box that is retained in
// `req.data` while a request is in flight and released after the final callback. The caller's array is
// copied once, so it may be reused at once.
internal import CLibUV

/// One file operation of a chain.
package enum FileOperation {
    /// pwrite of all bytes at `offset` (short writes are continued).
    case write(FileDescriptor, [UInt8], offset: Int64)
    case dataSync(FileDescriptor)
    case sync(FileDescriptor)
    case truncate(FileDescriptor, length: Int64)
}

/// Runs FileOperations in order on libuv's thread pool; see the file header.
package final class FileRequestChain {
    private let loop: Loop
    private var operations: [FileOperation]
    private var next = 0
    private let completion: (UVError?) -> Void
    private let request: UnsafeMutablePointer<uv_fs_t>
    /// The bytes of the write in flight, and how many of them are done.
    private var buffer: UnsafeMutableRawPointer?
    private var bufferCount = 0
    private var written = 0
    private var writeTarget: (fd: FileDescriptor, offset: Int64)?

    private init(loop: Loop, operations: [FileOperation], completion: @escaping (UVError?) -> Void) {
        self.loop = loop
        self.operations = operations
        self.completion = completion
        request = UnsafeMutablePointer<uv_fs_t>.allocate(capacity: 1)
    }

    /// Starts the chain; `completion` runs on the loop thread with nil or the first error.
    package static func run(on loop: Loop, _ operations: [FileOperation], completion: @escaping (UVError?) -> Void) {
        let chain = FileRequestChain(loop: loop, operations: operations, completion: completion)
        chain.request.pointee.data = Unmanaged.passRetained(chain).toOpaque()
        chain.startNext()
    }

    /// Issues the next operation, or finishes. Errors of the submit itself finish the chain at once.
    private func startNext() {
        guard next < operations.count else { return finish(nil) }
        let operation = operations[next]
        next += 1
        let rc: Int32
        switch operation {
        case .write(let fd, let bytes, let offset):
            releaseBuffer()
            let copy = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes.count), alignment: 16)
            bytes.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            buffer = copy
            bufferCount = bytes.count
            written = 0
            writeTarget = (fd, offset)
            operations[next - 1] = .write(fd, [], offset: offset)  // the copy is what counts now
            rc = submitWrite()
        case .dataSync(let fd):
            rc = uv_fs_fdatasync(loop.raw, request, fd.raw, onFileRequest)
        case .sync(let fd):
            rc = uv_fs_fsync(loop.raw, request, fd.raw, onFileRequest)
        case .truncate(let fd, let length):
            rc = uv_fs_ftruncate(loop.raw, request, fd.raw, length, onFileRequest)
        }
        if rc < 0 { finish(UVError(code: rc, operation: Self.name(of: operation))) }
    }

    private func submitWrite() -> Int32 {
        guard let buffer, let target = writeTarget else { return 0 }
        var buf = uv_buf_t(base: (buffer + written).assumingMemoryBound(to: CChar.self), len: bufferCount - written)
        return uv_fs_write(loop.raw, request, target.fd.raw, &buf, 1, target.offset + Int64(written), onFileRequest)
    }

    fileprivate func didComplete() {
        loop.assertInLoop()
        let result = request.pointee.result
        uv_fs_req_cleanup(request)
        let operation = operations[next - 1]
        if result < 0 {
            return finish(UVError(code: Int32(result), operation: Self.name(of: operation)))
        }
        if case .write = operation {
            written += Int(result)
            if result == 0 && written < bufferCount {
                return finish(UVError(code: UV_EIO.rawValue, operation: "uv_fs_write (no progress)"))
            }
            if written < bufferCount {
                let rc = submitWrite()
                if rc < 0 { finish(UVError(code: rc, operation: "uv_fs_write")) }
                return
            }
        }
        startNext()
    }

    private func finish(_ error: UVError?) {
        releaseBuffer()
        let chain = Unmanaged<FileRequestChain>.fromOpaque(request.pointee.data).takeRetainedValue()
        request.deallocate()
        chain.completion(error)
    }

    private func releaseBuffer() {
        buffer?.deallocate()
        buffer = nil
    }

    private static func name(of operation: FileOperation) -> String {
        switch operation {
        case .write: "uv_fs_write"
        case .dataSync: "uv_fs_fdatasync"
        case .sync: "uv_fs_fsync"
        case .truncate: "uv_fs_ftruncate"
        }
    }
}

private let onFileRequest: uv_fs_cb = { request in
    guard let request, let data = request.pointee.data else { return }
    Unmanaged<FileRequestChain>.fromOpaque(data).takeUnretainedValue().didComplete()
}
