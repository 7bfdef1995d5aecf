// LoopTimer: a uv_timer_t running a closure on the loop thread. Times are in loop milliseconds (uv_now),
// which libuv caches per iteration, so a timer fires at or after its deadline, never before.
internal import CLibUV

/// A one-shot or repeating timer on the loop.
package final class LoopTimer: LoopHandleOwner {
    let loop: Loop
    private var handle: UnsafeMutablePointer<uv_timer_t>?
    private var callback: (() -> Void)?

    /// Creates a stopped timer; it keeps itself alive until `close()` (or `Loop.close()`).
    package init(loop: Loop) {
        self.loop = loop
        let timer = UnsafeMutablePointer<uv_timer_t>.allocate(capacity: 1)
        uvMust(uv_timer_init(loop.raw, timer), "uv_timer_init")
        handle = timer
        retainOwner(self, in: timer)
    }

    /// Fires `callback` after `afterMilliseconds`, then every `repeatMilliseconds` (0 = once).
    /// Starting a running timer restarts it with the new callback; ignored once closing.
    package func start(afterMilliseconds: UInt64, repeatMilliseconds: UInt64, _ callback: @escaping () -> Void) {
        guard let handle, uv_is_closing(asHandle(handle)) == 0 else { return }
        self.callback = callback
        uvMust(uv_timer_start(handle, onTimer, afterMilliseconds, repeatMilliseconds), "uv_timer_start")
    }

    /// Stops the timer; it can be started again.
    package func stop() {
        guard let handle else { return }
        uv_timer_stop(handle)
    }

    /// Lets the loop exit while this timer is its only active handle (a periodic tick, for instance).
    package func unref() {
        guard let handle else { return }
        uv_unref(asHandle(handle))
    }

    /// Closes the timer; safe to call more than once.
    package func close() {
        guard let handle, uv_is_closing(asHandle(handle)) == 0 else { return }
        uv_close(asHandle(handle), onTimerClose)
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

private let onTimer: uv_timer_cb = { handle in
    let timer = owner(LoopTimer.self, of: handle!)
    timer.loop.assertInLoop()
    timer.fire()
}

private let onTimerClose: uv_close_cb = { handle in
    releaseOwner(LoopTimer.self, of: handle!).didClose()
}
