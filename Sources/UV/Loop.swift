// Loop: owns one uv_loop_t (never libuv's default loop) and the 64 KiB read buffer shared by every
// connection on it.
//
// Threading rule: a Loop and everything created on it belong to ONE thread, the one that created the Loop.
// Callbacks run on that thread from inside `run()`/`runOnce()` and never re-enter uv_run. Nothing else may
// call into the loop from another thread; the only way in from outside is a signal, which libuv turns into
// a callback on the loop thread (SignalWatcher). Trampolines assert they run on the recorded thread.
//
// Sharing one read buffer is safe only because of that rule: libuv calls alloc_cb, then read_cb, and the
// read callback copies the bytes out before libuv asks for the buffer again.
internal import CLibUV
import Glibc

/// One libuv event loop and its thread. Not thread-safe by design.
package final class Loop {
    let raw: UnsafeMutablePointer<uv_loop_t>
    /// Shared by all connections of this loop; see the file header for why that is safe.
    let readBuffer: UnsafeMutableRawPointer
    static let readBufferSize = 64 * 1024
    private let thread: pthread_t
    private var isClosed = false

    /// How long a connection that called `closeAfterWrites` keeps draining input after its FIN, waiting for
    /// the peer's EOF, before it closes anyway (nginx's lingering close, bounded the same way).
    package var lingerTimeoutMilliseconds: UInt64 = 3000

    /// Creates and initialises a private libuv loop owned by the calling thread.
    package init() throws(UVError) {
        raw = UnsafeMutablePointer<uv_loop_t>.allocate(capacity: 1)
        let rc = uv_loop_init(raw)
        if rc < 0 {
            raw.deallocate()
            throw UVError(code: rc, operation: "uv_loop_init")
        }
        readBuffer = UnsafeMutableRawPointer.allocate(byteCount: Loop.readBufferSize, alignment: 16)
        thread = pthread_self()
        // Not retained: every handle owner holds the Loop strongly, so the Loop outlives all its handles.
        raw.pointee.data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        // Only reachable once no handle owner references this Loop; what may remain are orphan handles of a
        // failed init whose close callback has not run yet. If the loop still cannot close, its memory is
        // leaked on purpose: freeing it under a live handle would be worse.
        guard !isClosed else { return }
        if uv_loop_close(raw) != 0 {
            uv_run(raw, UV_RUN_NOWAIT)
            guard uv_loop_close(raw) == 0 else { return }
        }
        raw.deallocate()
        readBuffer.deallocate()
    }

    /// The loop's cached time in milliseconds (uv_now), refreshed at the start of every iteration.
    package var now: UInt64 { uv_now(raw) }

    /// Refreshes `now` from the monotonic clock (uv_update_time).
    package func updateTime() { uv_update_time(raw) }

    /// A monotonic high-resolution clock in nanoseconds (uv_hrtime), for latency measurements.
    package static func hrtimeNanoseconds() -> UInt64 { uv_hrtime() }

    /// Runs the loop until `stop()` is called or nothing active (and referenced) is left.
    package func run() {
        precondition(isOnLoopThread, "Loop.run called off the loop thread")
        precondition(!isClosed, "Loop.run called after close")
        uv_run(raw, UV_RUN_DEFAULT)
    }

    /// Runs one iteration; with `noWait` it polls for I/O without blocking (for tests).
    package func runOnce(noWait: Bool) {
        precondition(isOnLoopThread, "Loop.runOnce called off the loop thread")
        precondition(!isClosed, "Loop.runOnce called after close")
        uv_run(raw, noWait ? UV_RUN_NOWAIT : UV_RUN_ONCE)
    }

    /// Makes `run()` return after the current iteration (uv_stop).
    package func stop() {
        precondition(isOnLoopThread, "Loop.stop called off the loop thread")
        if !isClosed { uv_stop(raw) }
    }

    /// Handles not yet closed, the closing ones included (uv_walk skips libuv's internal handles).
    package var openHandleCount: Int {
        if isClosed { return 0 }
        var count = 0
        withUnsafeMutablePointer(to: &count) { pointer in
            uv_walk(raw, onWalkCount, UnsafeMutableRawPointer(pointer))
        }
        return count
    }

    /// Closes every handle still open, runs the loop until their close callbacks ran, then uv_loop_close.
    /// Returns true when the loop closed cleanly (no handle leaked). Calling it again returns true.
    package func close() -> Bool {
        precondition(isOnLoopThread, "Loop.close called off the loop thread")
        if isClosed { return true }
        // Close callbacks may open new handles (a failed connect's completion could retry), so repeat a
        // few times; a loop that keeps spawning handles is reported as not closed.
        for _ in 0..<8 {
            closeAllHandles()
            uv_run(raw, UV_RUN_DEFAULT)
            if openHandleCount == 0 { break }
        }
        guard uv_loop_close(raw) == 0 else { return false }
        isClosed = true
        raw.deallocate()
        readBuffer.deallocate()
        return true
    }

    /// Traps in debug builds when called from a thread other than the loop's.
    @inline(__always)
    func assertInLoop() {
        assert(isOnLoopThread, "libuv callback ran off the loop thread")
    }

    private var isOnLoopThread: Bool { pthread_equal(pthread_self(), thread) != 0 }

    private func closeAllHandles() {
        var handles: [UnsafeMutablePointer<uv_handle_t>] = []
        withUnsafeMutablePointer(to: &handles) { pointer in
            uv_walk(raw, onWalkCollect, UnsafeMutableRawPointer(pointer))
        }
        for handle in handles where uv_is_closing(handle) == 0 {
            if let data = handle.pointee.data,
               let owner = Unmanaged<AnyObject>.fromOpaque(data).takeUnretainedValue() as? LoopHandleOwner {
                owner.close()
            } else {
                closeOrphan(handle)
            }
        }
    }

    /// The Loop object of a raw loop, from a handle's `loop` field.
    static func of(_ raw: UnsafeMutablePointer<uv_loop_t>) -> Loop {
        Unmanaged<Loop>.fromOpaque(raw.pointee.data).takeUnretainedValue()
    }
}

private let onWalkCount: uv_walk_cb = { _, argument in
    argument!.assumingMemoryBound(to: Int.self).pointee += 1
}

private let onWalkCollect: uv_walk_cb = { handle, argument in
    guard let handle else { return }
    argument!.assumingMemoryBound(to: [UnsafeMutablePointer<uv_handle_t>].self).pointee.append(handle)
}
