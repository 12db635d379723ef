import CKWSKernels
import Foundation

/// The int8 multiply-accumulate rate this CPU sustains in the best case: a tight in-register loop of
/// independent `vpdpbusd` (no loads), the denominator of the int8 engine's compute bound.
public enum Int8PeakRate {
    /// Multiply-accumulates per second on one thread (best of `trials` runs of ~`iterations` rounds), or nil
    /// when the CPU has no AVX-512 VNNI.
    public static func measureVNNI(iterations: Int = 300_000, trials: Int = 40) -> Double? {
        guard kws_isa_avx512vnni_supported() else { return nil }
        var best = 0.0
        var sink: Int64 = 0
        for _ in 0..<trials {
            let start = DispatchTime.now().uptimeNanoseconds
            sink &+= kws_vnni_peak_probe(iterations)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = max(best, Double(iterations) * 1536 / seconds)
        }
        // Using the result keeps the calls from being treated as dead.
        return sink == Int64.min ? nil : best
    }
}
