// Process: the few process-wide settings a server needs at start-up, kept here because they are system
// calls and UV is the module allowed to make them.
internal import CLibUV
import Glibc

/// Process-wide settings and measurements.
package enum Process {
    /// libuv does not ignore SIGPIPE on Linux; without this a write to a reset socket kills the process
    /// instead of returning EPIPE.
    package static func ignoreSIGPIPE() {
        _ = signal(SIGPIPE, SIG_IGN)
    }

    /// Resident set size in bytes (uv_resident_set_memory); 0 if it cannot be read.
    package static func residentMemoryBytes() -> Int {
        var size = 0
        return uv_resident_set_memory(&size) == 0 ? size : 0
    }

    /// Raises the soft limit on open descriptors to the hard limit, so 100,000 connections are possible
    /// where the hard limit allows them. Failure is ignored: the server then runs with the old limit.
    package static func raiseFileDescriptorLimit() {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(resource, &limit)
    }

    /// The current soft limit on open descriptors.
    package static func fileDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        return limit.rlim_cur >= rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }
}
