import CFFTW

/// A real-to-complex forward FFT of one fixed length (FFTW single precision), with its own
/// FFTW-aligned buffers.
///
/// Not shared across threads (make one per thread); the plan underneath is made once per length
/// and shared. Fill `withInput`, call `execute()`, read `withSpectrum`. No allocation after `init`.
public final class FFTRealForward {
    /// Number of real input samples.
    public let length: Int
    /// Number of complex output bins, `length / 2 + 1`.
    public let binCount: Int

    private let plan: FFTPlanCache.Plan
    private let input: UnsafeMutablePointer<Float>
    private let output: UnsafeMutablePointer<fftwf_complex>

    /// Prepares a transform of `length` real samples (any positive length; powers of two are fastest).
    /// - Throws: `FFTError` if FFTW cannot plan or allocate.
    public init(length: Int) throws {
        self.length = length
        self.binCount = length / 2 + 1
        plan = try FFTPlanCache.realForwardPlan(length: length)
        let binCount = self.binCount
        let inBytes = length * MemoryLayout<Float>.stride
        let outBytes = binCount * MemoryLayout<fftwf_complex>.stride
        (input, output) = try FFTPlanCache.withLock { _ in
            guard let rawIn = fftwf_malloc(inBytes) else { throw FFTError.allocationFailed(bytes: inBytes) }
            guard let rawOut = fftwf_malloc(outBytes) else {
                fftwf_free(rawIn)
                throw FFTError.allocationFailed(bytes: outBytes)
            }
            return (rawIn.bindMemory(to: Float.self, capacity: length),
                    rawOut.bindMemory(to: fftwf_complex.self, capacity: binCount))
        }
        input.initialize(repeating: 0, count: length)
        output.initialize(repeating: (0, 0), count: binCount)
    }

    deinit {
        FFTPlanCache.withLock { _ in
            fftwf_free(input)
            fftwf_free(output)
        }
    }

    /// Gives `body` the `length` real input samples to fill.
    @inline(__always)
    public func withInput<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeMutableBufferPointer(start: input, count: length))
    }

    /// Transforms the input buffer into the spectrum buffer (unnormalised, FFTW's sign convention).
    @inline(__always)
    public func execute() {
        fftwf_execute_dft_r2c(plan.raw, input, output)
    }

    /// The input buffer, for the C front-end pass (kws_mfcc.h) that writes the windowed frame in place.
    var inputStart: UnsafeMutablePointer<Float> { input }

    /// The spectrum as `2 * binCount` interleaved floats, for the C front-end pass that reads it.
    var spectrumStart: UnsafePointer<Float> {
        UnsafeRawPointer(output).assumingMemoryBound(to: Float.self)
    }

    /// Gives `body` the spectrum as `2 * binCount` interleaved floats: re₀, im₀, re₁, im₁, …
    @inline(__always)
    public func withSpectrum<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try UnsafeRawPointer(output).withMemoryRebound(to: Float.self, capacity: 2 * binCount) {
            try body(UnsafeBufferPointer(start: $0, count: 2 * binCount))
        }
    }
}
