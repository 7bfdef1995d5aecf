// The one place the server reads the wall clock: once at start, to anchor loop time (see BatonServer.now).

#if canImport(Glibc)
import Glibc
#endif

enum WallClock {
    /// Milliseconds since the Unix epoch.
    static func milliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
