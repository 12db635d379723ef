import Glibc

/// Nanoseconds on the monotonic clock, for timing (what `DispatchTime.now().uptimeNanoseconds` gave, without
/// Dispatch).
package enum MonotonicClock {
    package static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
