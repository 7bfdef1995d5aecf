// ReadBytes: the bytes of one read, lent to the delegate for the duration of `connectionDidRead`.
//
// Why not an array per read: most reads are one small request, and making an array of them (an allocation,
// a copy, a free when the connection is done with them) cost ~300 instructions per request (callgrind). A
// delegate that keeps its own input buffer appends the bytes to it instead (a memcpy into capacity it
// already has). The bytes live in the loop's shared read buffer, which the next read overwrites: a ReadBytes
// must not be kept past the call (it cannot be copied; it is only ever handed to the delegate).

/// The bytes of one read, valid only during `TCPConnectionDelegate.connectionDidRead`.
package struct ReadBytes: ~Copyable {
    private let base: UnsafeRawPointer?
    package let count: Int

    init(base: UnsafeRawPointer?, count: Int) {
        self.base = base
        self.count = count
    }

    /// Appends the bytes to `buffer`.
    package func append(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeRawBufferPointer(start: base, count: count))
    }

    /// The bytes as a new array.
    package var array: [UInt8] {
        [UInt8](UnsafeRawBufferPointer(start: base, count: count))
    }
}
