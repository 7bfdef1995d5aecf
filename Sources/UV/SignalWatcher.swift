// SignalWatcher: a uv_signal_t. libuv's signal handler only writes to a pipe; the callback runs later on the
// loop thread like any other I/O, which makes a signal the one safe way into the loop from outside.
internal import CLibUV

/// Calls a closure on the loop thread whenever the process receives `signal`.
package final class SignalWatcher: LoopHandleOwner {
    let loop: Loop
    private var handle: UnsafeMutablePointer<uv_signal_t>?
    private var callback: ((Int32) -> Void)?

    /// Starts watching `signal` (SIGINT, SIGTERM, ...) at once.
    package init(loop: Loop, signal: Int32, _ callback: @escaping (Int32) -> Void) throws(UVError) {
        self.loop = loop
        self.callback = callback
        let watcher = UnsafeMutablePointer<uv_signal_t>.allocate(capacity: 1)
        uvMust(uv_signal_init(loop.raw, watcher), "uv_signal_init")
        // EINVAL here is an invalid signal number from the caller, not a bug in this module.
        let rc = uv_signal_start(watcher, onSignal, signal)
        if rc < 0 {
            closeOrphan(watcher)
            throw UVError(code: rc, operation: "uv_signal_start")
        }
        handle = watcher
        retainOwner(self, in: watcher)
        // A process inherits its parent's signal mask (test runners and some supervisors block SIGTERM in
        // their threads); a watched signal that stays blocked would never reach libuv's handler.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signal)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Lets the loop exit while this watcher is its only active handle.
    package func unref() {
        guard let handle else { return }
        uv_unref(asHandle(handle))
    }

    /// Stops watching and closes; safe to call more than once.
    package func close() {
        guard let handle, uv_is_closing(asHandle(handle)) == 0 else { return }
        uv_close(asHandle(handle), onSignalClose)
    }

    fileprivate func fire(_ signal: Int32) {
        callback?(signal)
    }

    fileprivate func didClose() {
        handle?.deallocate()
        handle = nil
        callback = nil
    }
}

private let onSignal: uv_signal_cb = { handle, signal in
    let watcher = owner(SignalWatcher.self, of: handle!)
    watcher.loop.assertInLoop()
    watcher.fire(signal)
}

private let onSignalClose: uv_close_cb = { handle in
    releaseOwner(SignalWatcher.self, of: handle!).didClose()
}
