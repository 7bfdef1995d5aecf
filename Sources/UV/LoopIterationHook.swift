// LoopIterationHook: a uv_check_t, which libuv runs once per loop iteration right after the I/O callbacks
// of that iteration. The server uses it for work that should be batched per iteration: one fsync for all
// writes of the iteration (group commit) and flushing responses collected while handling reads.
internal import CLibUV

/// Runs a closure once per loop iteration, after I/O callbacks.
package final class LoopIterationHook: LoopHandleOwner {
    let loop: Loop
    private var handle: UnsafeMutablePointer<uv_check_t>?
    private var callback: (() -> Void)?

    /// Creates a stopped hook; it keeps itself alive until `close()` (or `Loop.close()`).
    package init(loop: Loop, _ callback: @escaping () -> Void) {
        self.loop = loop
        self.callback = callback
        let check = UnsafeMutablePointer<uv_check_t>.allocate(capacity: 1)
        uvMust(uv_check_init(loop.raw, check), "uv_check_init")
        handle = check
        retainOwner(self, in: check)
    }

    /// Starts running the callback every iteration. An active hook keeps the loop alive unless `unref`ed.
    package func start() {
        guard let handle, uv_is_closing(asHandle(handle)) == 0 else { return }
        uvMust(uv_check_start(handle, onCheck), "uv_check_start")
    }

    /// Stops running the callback.
    package func stop() {
        guard let handle else { return }
        uv_check_stop(handle)
    }

    /// Lets the loop exit while this hook is its only active handle.
    package func unref() {
        guard let handle else { return }
        uv_unref(asHandle(handle))
    }

    /// Closes the hook; safe to call more than once.
    package func close() {
        guard let handle, uv_is_closing(asHandle(handle)) == 0 else { return }
        uv_close(asHandle(handle), onCheckClose)
    }

    fileprivate func fire() {
        callback?()
    }

    fileprivate func didClose() {
        handle?.deallocate()
        handle = nil
        callback = nil
    }
}

private let onCheck: uv_check_cb = { handle in
    let hook = owner(LoopIterationHook.self, of: handle!)
    hook.loop.assertInLoop()
    hook.fire()
}

private let onCheckClose: uv_close_cb = { handle in
    releaseOwner(LoopIterationHook.self, of: handle!).didClose()
}
