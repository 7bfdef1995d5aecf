// BackgroundWork: runs one pure closure on libuv's thread pool (uv_queue_work) and hands its result back to
// a completion on the loop thread (the after-work callback). The closure is `@Sendable` and must capture
// only immutable values: it shares nothing with the loop thread while it runs, which is what keeps the
// single-thread rule of ARCHITECTURE.md intact (the snapshot writer builds its own private objects).
//
// Memory rule: the box holding the closure, its result and the uv_work_t is retained in `req.data` from
// submission until the after-work callback, where it is released.
internal import CLibUV

/// The box behind one queued work item; the result crosses from the worker to the loop thread through
/// libuv's own synchronisation (the work callback happens-before the after-work callback).
private final class WorkBox: @unchecked Sendable {
    let loop: Loop
    let work: @Sendable () -> any Sendable
    let completion: (any Sendable) -> Void
    var result: (any Sendable)?
    let request = UnsafeMutablePointer<uv_work_t>.allocate(capacity: 1)

    init(loop: Loop, work: @escaping @Sendable () -> any Sendable, completion: @escaping (any Sendable) -> Void) {
        self.loop = loop
        self.work = work
        self.completion = completion
    }
}

/// Runs closures off the loop thread; see the file header.
package enum BackgroundWork {
    /// Queues `work`; `completion` receives its result on the loop thread. A work item that cannot be
    /// queued (libuv refused it) runs its closure on the calling thread instead, so it is never lost.
    package static func run<Result: Sendable>(
        on loop: Loop, _ work: @escaping @Sendable () -> Result, completion: @escaping (Result) -> Void
    ) {
        let box = WorkBox(loop: loop, work: { work() }, completion: { completion($0 as! Result) })
        box.request.pointee.data = Unmanaged.passRetained(box).toOpaque()
        if uv_queue_work(loop.raw, box.request, onWork, onAfterWork) < 0 {
            let unmanaged = Unmanaged<WorkBox>.fromOpaque(box.request.pointee.data)
            unmanaged.release()
            box.request.deallocate()
            completion(work())
        }
    }
}

private let onWork: uv_work_cb = { request in
    guard let request, let data = request.pointee.data else { return }
    let box = Unmanaged<WorkBox>.fromOpaque(data).takeUnretainedValue()
    box.result = box.work()
}

private let onAfterWork: uv_after_work_cb = { request, _ in
    guard let request, let data = request.pointee.data else { return }
    let box = Unmanaged<WorkBox>.fromOpaque(data).takeRetainedValue()
    box.loop.assertInLoop()
    request.deallocate()
    // A cancelled item (status UV_ECANCELED, only possible before it started) runs its closure here.
    let result = box.result ?? box.work()
    box.completion(result)
}
