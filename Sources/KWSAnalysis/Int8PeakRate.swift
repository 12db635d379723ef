import CKWSKernels
import FoundationEssentials
import KWSCore
import KWSRuntime

/// The int8 multiply-accumulate rate this CPU sustains in the best case: a tight in-register loop of
/// independent `vpdpbusd` (no loads), the denominator of the int8 engine's compute bound.
public enum Int8PeakRate {
    /// Best and median multiply-accumulates per second over `trials` short runs on one thread, or nil when
    /// the CPU has no AVX-512 VNNI. Many short trials, because on a shared machine a long one is almost
    /// always interrupted; the best is the peak, the median shows how contended the machine was.
    public static func measureVNNI(iterations: Int = 100_000, trials: Int = 300) -> (best: Double, median: Double)? {
        // The probe is VNNI code: on aarch64 the top tier (dot product) runs a stub, so there is no rate to report.
        #if !arch(x86_64)
        return nil
        #else
        guard kws_kernels_for(KWS_ISA_AVX512).pointee.conv1d_u8s8.isa == KWS_ISA_AVX512 else { return nil }
        var rates = [Double]()
        var sink: Int64 = 0
        for _ in 0..<trials {
            let start = MonotonicClock.nanoseconds()
            sink &+= kws_vnni_peak_probe(iterations)
            let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
            rates.append(Double(iterations) * 1536 / seconds)
        }
        rates.sort()
        // Using the result keeps the calls from being treated as dead.
        guard sink != Int64.min, let best = rates.last else { return nil }
        return (best, rates[rates.count / 2])
        #endif
    }
}
