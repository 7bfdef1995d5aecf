// Helpers shared by every handle owner in UV. libuv's lifetime rule (design.rst): handle memory may be
// reclaimed only in or after the close callback. So each owner allocates its handle, stores
// `Unmanaged.passRetained(self)` in `handle.data` right after init, and balances that retain in its own
// close callback, where it also deallocates the handle. Nothing is freed in `deinit`, which can only run
// once the handle is gone because the handle keeps its owner alive.
internal import CLibUV

/// An object that owns one libuv handle. `Loop.close()` reaches owners through `handle.data` and asks them
/// to close, so their close callbacks run and release what they hold.
protocol LoopHandleOwner: AnyObject {
    func close()
}

/// Swift does not convert `uv_tcp_t*` to `uv_handle_t*`; every libuv handle starts with the uv_handle_t
/// fields, so reinterpreting the pointer is what C does implicitly.
@inline(__always)
func asHandle<T>(_ pointer: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<uv_handle_t> {
    UnsafeMutablePointer<uv_handle_t>(OpaquePointer(pointer))
}

@inline(__always)
func asStream<T>(_ pointer: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<uv_stream_t> {
    UnsafeMutablePointer<uv_stream_t>(OpaquePointer(pointer))
}

/// Stores a retained reference to `owner` in `handle.data`; balanced by `releaseOwner` in the close callback.
@inline(__always)
func retainOwner<T>(_ owner: AnyObject, in handle: UnsafeMutablePointer<T>) {
    asHandle(handle).pointee.data = Unmanaged.passRetained(owner).toOpaque()
}

/// The owner stored in `handle.data`, without touching its retain count (for every callback but close).
@inline(__always)
func owner<Owner: AnyObject, T>(_ type: Owner.Type, of handle: UnsafeMutablePointer<T>) -> Owner {
    Unmanaged<Owner>.fromOpaque(asHandle(handle).pointee.data).takeUnretainedValue()
}

/// Takes back the retain made by `retainOwner`; only the close callback calls this.
@inline(__always)
func releaseOwner<Owner: AnyObject, T>(_ type: Owner.Type, of handle: UnsafeMutablePointer<T>) -> Owner {
    let data = asHandle(handle).pointee.data!
    asHandle(handle).pointee.data = nil
    return Unmanaged<Owner>.fromOpaque(data).takeRetainedValue()
}

/// Closes a handle that never got an owner (an init that failed half-way) and frees it in its close callback.
func closeOrphan<T>(_ handle: UnsafeMutablePointer<T>) {
    asHandle(handle).pointee.data = nil
    uv_close(asHandle(handle), onOrphanClose)
}

private let onOrphanClose: uv_close_cb = { handle in
    guard let handle else { return }
    // Every handle type was allocated as its own type; deallocation only needs the base address.
    UnsafeMutableRawPointer(handle).deallocate()
}
