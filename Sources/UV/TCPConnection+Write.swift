// Writing and graceful close for TCPConnection.
//
// A write first tries uv_try_write, which on an idle socket usually takes everything without any
// allocation. Only the remainder is queued: it is copied into one allocation that starts with its
// uv_write_t, so the request and its bytes live exactly until uv_write_cb frees them together. libuv calls
// that callback for every queued write, with UV_ECANCELED when the handle was closed first, and keeps the
// handle memory valid until after those calls, so the callback may still read `handle.data`.
internal import CLibUV

extension TCPConnection {
    /// Writes all bytes, in order with earlier writes. Silently dropped once the connection is closing or
    /// has been shut down; a write error ends the connection (reported through `connectionDidEnd`).
    package func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write(raw: $0) }
    }

    /// Same as `write(_:)` for a slice, so callers can write part of a reusable buffer without copying it.
    package func write(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { write(raw: $0) }
    }

    /// Bytes accepted by `write` that the kernel has not taken yet (uv_stream_get_write_queue_size).
    package var pendingWriteBytes: Int {
        guard let handle else { return 0 }
        return uv_stream_get_write_queue_size(asStream(handle))
    }

    /// True while a queued write has not been called back; `connectionDidDrain` follows when it turns false.
    package var isWritePending: Bool { queuedWrites > 0 }

    /// Flushes pending writes, then uv_shutdown, then closes (graceful "Connection: close"). Bytes read
    /// after this call are discarded; if still reading, the close waits for the peer's EOF (at most
    /// `loop.lingerTimeoutMilliseconds`) so that unread input does not turn the close into a reset that
    /// could destroy the response in flight.
    package func closeAfterWrites() {
        guard !isClosing, !discardInput else { return }
        discardInput = true
        if shutdownIssued {
            if !reading { close() }
            return
        }
        closeRequested = true
        if queuedWrites == 0 { shutdown() }
    }

    /// Half-close: flushes pending writes, then sends FIN (uv_shutdown) but keeps reading and delivering
    /// bytes; the connection closes when the peer's EOF arrives (or on `close()`). For clients and tests.
    package func shutdownAfterWrites() {
        guard !isClosing, !closeRequested else { return }
        closeRequested = true
        if queuedWrites == 0 { shutdown() }
    }

    private func write(raw bytes: UnsafeRawBufferPointer) {
        guard let handle, bytes.count > 0, uv_is_closing(asHandle(handle)) == 0, !shutdownIssued else { return }
        var offset = 0
        if queuedWrites == 0 {
            var buffer = uv_buf_t(base: mutableBase(bytes), len: bytes.count)
            // EAGAIN means nothing could be written now; any other error is reported by the uv_write below
            // through its callback, which keeps error delivery out of the caller's stack.
            let written = uv_try_write(asStream(handle), &buffer, 1)
            if written > 0 { offset = Int(written) }
            if offset == bytes.count { return }
        }
        let remaining = bytes.count - offset
        let headerSize = MemoryLayout<uv_write_t>.stride
        let block = UnsafeMutableRawPointer.allocate(byteCount: headerSize + remaining,
                                                     alignment: MemoryLayout<uv_write_t>.alignment)
        let payload = block + headerSize
        payload.copyMemory(from: bytes.baseAddress! + offset, byteCount: remaining)
        let request = block.bindMemory(to: uv_write_t.self, capacity: 1)
        var buffer = uv_buf_t(base: payload.assumingMemoryBound(to: CChar.self), len: remaining)
        if uv_write(request, asStream(handle), &buffer, 1, onWrite) < 0 {
            block.deallocate()
            close()
            return
        }
        queuedWrites += 1
    }

    private func mutableBase(_ bytes: UnsafeRawBufferPointer) -> UnsafeMutablePointer<CChar> {
        // libuv's uv_buf_t is not const-qualified, but uv_try_write only reads through it.
        UnsafeMutableRawPointer(mutating: bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
    }

    private func shutdown() {
        guard let handle, !shutdownIssued, uv_is_closing(asHandle(handle)) == 0 else { return }
        shutdownIssued = true
        let request = UnsafeMutablePointer<uv_shutdown_t>.allocate(capacity: 1)
        if uv_shutdown(request, asStream(handle), onShutdown) < 0 {
            request.deallocate()
            close()
        }
    }

    fileprivate func didWrite(status: Int32) {
        queuedWrites -= 1
        if isClosing { return }
        if status < 0 {
            reportEnd(UVError(code: status, operation: "uv_write"))
            close()
            return
        }
        guard queuedWrites == 0 else { return }
        if closeRequested {
            shutdown()
        } else {
            delegate?.connectionDidDrain()
        }
    }

    fileprivate func didShutdown(status: Int32) {
        if isClosing { return }
        if status < 0 || peerEnded || (discardInput && !reading) {
            close()
        } else if discardInput {
            // Still reading: wait for the peer's EOF (didRead closes then), discarding what it sends, but
            // not forever: a peer that ignores the FIN would otherwise hold the connection open.
            let timer = LoopTimer(loop: loop)
            lingerTimer = timer
            timer.start(afterMilliseconds: loop.lingerTimeoutMilliseconds, repeatMilliseconds: 0) { [weak self] in
                self?.close()
            }
        }
    }
}

private let onWrite: uv_write_cb = { request, status in
    let connection = owner(TCPConnection.self, of: request!.pointee.handle!)
    connection.loop.assertInLoop()
    UnsafeMutableRawPointer(request!).deallocate()
    connection.didWrite(status: status)
}

private let onShutdown: uv_shutdown_cb = { request, status in
    let connection = owner(TCPConnection.self, of: request!.pointee.handle!)
    connection.loop.assertInLoop()
    request!.deallocate()
    connection.didShutdown(status: status)
}
