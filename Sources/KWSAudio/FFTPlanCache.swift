import CFFTW
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The FFTW planner, used only under one process-wide lock.
///
/// FFTW's planner (and its allocator bookkeeping) is not thread-safe; only `fftwf_execute*`
/// may run concurrently. So every call into FFTW other than execution goes through `withLock`,
/// and plans are made once per length and kept for the life of the process: each
/// `FFTRealForward` executes the shared plan on its own buffers with the new-array interface.
enum FFTPlanCache {
    /// An FFTW plan; immutable once made, and FFTW allows concurrent new-array execution of it.
    struct Plan: @unchecked Sendable {
        let raw: OpaquePointer
        /// Where the plan came from.
        let source: FFTPlanSource
    }

    private static let plans = Mutex<[Int: Plan]>([:])
    /// Imported on the first plan, under the lock (`fftwf_import_wisdom_from_string` is planner state).
    nonisolated(unsafe) private static var wisdomImported = false

    /// Runs `body` while holding the FFTW lock (for `fftwf_malloc`/`fftwf_free` and planning).
    static func withLock<R>(_ body: (inout [Int: Plan]) throws -> R) rethrows -> R {
        try plans.withLock { try body(&$0) }
    }

    /// The real-to-complex plan for `length` real inputs, made on first use.
    ///
    /// Planned out of place on `fftwf_malloc`'d arrays, so it may be executed on any other pair of
    /// `fftwf_malloc`'d arrays (same SIMD alignment, also out of place).
    static func realForwardPlan(length: Int) throws -> Plan {
        try withLock { plans in
            if let plan = plans[length] { return plan }
            guard length > 0, length <= Int(Int32.max) / 2 else { throw FFTError.planFailed(length: length) }
            let inBytes = length * MemoryLayout<Float>.stride
            let outBytes = (length / 2 + 1) * MemoryLayout<fftwf_complex>.stride
            guard let input = fftwf_malloc(inBytes) else { throw FFTError.allocationFailed(bytes: inBytes) }
            defer { fftwf_free(input) }
            guard let output = fftwf_malloc(outBytes) else { throw FFTError.allocationFailed(bytes: outBytes) }
            defer { fftwf_free(output) }
            // Never FFTW_MEASURE at run time: it picks algorithms by timing, so two processes could get
            // different plans and round differently (FFTWisdom.swift). The shipped wisdom gives a measured
            // plan without timing anything; FFTW_WISDOM_ONLY returns nil where it does not apply, and then
            // FFTW_ESTIMATE (deterministic too, 7–8% slower at 512) is used.
            if !wisdomImported {
                wisdomImported = true
                _ = fftwf_import_wisdom_from_string(FFTWisdom.text)
            }
            let inputFloats = input.bindMemory(to: Float.self, capacity: length)
            let outputBins = output.bindMemory(to: fftwf_complex.self, capacity: length / 2 + 1)
            var source = FFTPlanSource.shippedWisdom
            var raw = FFTWisdom.lengths.contains(length)
                ? fftwf_plan_dft_r2c_1d(Int32(length), inputFloats, outputBins, UInt32(FFTW_MEASURE) | UInt32(FFTW_WISDOM_ONLY))
                : nil
            if raw == nil {
                source = .estimate
                raw = fftwf_plan_dft_r2c_1d(Int32(length), inputFloats, outputBins, UInt32(FFTW_ESTIMATE))
            }
            guard let raw else { throw FFTError.planFailed(length: length) }
            let plan = Plan(raw: raw, source: source)
            plans[length] = plan
            return plan
        }
    }
}

/// Where the FFTW plan of a length came from.
public enum FFTPlanSource: String, Sendable {
    /// The wisdom shipped in kws (FFTWisdom.swift): a plan measured once, the same in every process.
    case shippedWisdom = "shipped wisdom"
    /// FFTW_ESTIMATE, where the shipped wisdom does not apply: deterministic, slower.
    case estimate = "FFTW_ESTIMATE"
}

extension FFTRealForward {
    /// Which plan an r2c transform of `length` runs, for `kws info --kernels`: its source and FFTW's own
    /// one-line description of the algorithm (`fftwf_sprint_plan`), e.g.
    /// `shipped wisdom: (rdft2-ct-dit/2 (hc2c-direct-2/4/1 "hc2cfdftv_2_sse2" …`.
    ///
    /// - Throws: `FFTError` if FFTW cannot plan.
    public static func planDescription(length: Int) throws -> (source: FFTPlanSource, plan: String) {
        let plan = try FFTPlanCache.realForwardPlan(length: length)
        let text: String = FFTPlanCache.withLock { _ in
            guard let raw = fftwf_sprint_plan(plan.raw) else { return "?" }
            defer { free(raw) }
            return String(cString: raw)
        }
        return (plan.source, text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " "))
    }
}
