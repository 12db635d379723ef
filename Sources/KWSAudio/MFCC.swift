#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CKWSKernels
import KWSCore

/// The MFCC of one analysis frame, exactly as the model's front-end configuration says
/// (SPEC.md §1.2 for `.tfSignal`, §2 for `.audioOps`):
/// periodic Hann → zero-padded real FFT (FFTW) → power spectrum (magnitude for `.audioOps`)
/// → sparse mel filterbank → log → DCT-II, keeping `config.coefficients` values.
///
/// An instance owns its buffers, so `compute` never allocates; it is not thread-safe (make one
/// per thread — the FFTW plan underneath is shared and made once).
///
/// The work around the FFT runs as one C pass per frame from the kernel table (`mfcc_frame`,
/// kws_mfcc.h: scalar, AVX2 or AVX-512 by the CPU and `KWS_ISA`), which gives the same bits as the
/// Swift stages kept below as its reference (MFCCKernelTests compares them).
public final class MFCC {
    /// The configuration these features follow.
    public let config: FrontEndConfig
    /// Values per frame written by `compute`: `config.coefficients`.
    public var coefficientCount: Int { config.coefficients }

    private let fft: FFTRealForward
    /// Kept in `Double` so that frame × window is rounded once, like the float64 reference.
    private let window: [Double]
    private let filterbank: MelFilterbank
    private let dct: DCTMatrix
    /// `filterbank.paddedBinCount` spectrum values (the padding stays zero), then `melBins`
    /// log-mel values, then the DCT's scratch.
    private let scratch: UnsafeMutablePointer<Float>
    private let scratchCount: Int
    /// The C pass and its tables; nil runs the Swift reference stages.
    private let kernels: kws_mfcc_frame_config?
    private let kernelTables: MFCCKernelTables

    /// The C function that computes the stages after the FFT (`mfcc_cepstrum__avx512`, `__avx2`,
    /// `__scalar`), or `swift` for the reference stages.
    public var kernelName: String { kernels.map { String(cString: $0.name) } ?? "swift" }

    /// Prepares the transform for `config`, which must pass `config.validate()`.
    ///
    /// - Throws: `FrontEndConfigError` for a configuration kws cannot reproduce, `FFTError` if
    ///   FFTW cannot plan or allocate.
    public convenience init(config: FrontEndConfig) throws {
        try self.init(config: config, implementation: .preferred)
    }

    /// The transform with the Swift stages after the FFT instead of the C pass when `swiftReference`, for
    /// `kws-bench audio`'s side-by-side timing (tests use the internal initializer).
    @_spi(Benchmark) public convenience init(config: FrontEndConfig, swiftReference: Bool) throws {
        try self.init(config: config, implementation: swiftReference ? .swiftReference : .preferred)
    }

    /// The transform with the stages after the FFT computed by `implementation` (tests compare them).
    init(config: FrontEndConfig, implementation: MFCCImplementation) throws {
        let design = try MFCCDesign.make(for: config)
        self.config = config
        fft = try FFTRealForward(length: config.fftLength)
        window = design.window
        filterbank = design.filterbank
        dct = design.dct
        kernelTables = design.kernelTables
        switch implementation {
        case .swiftReference: kernels = nil
        case .kernels(let level): kernels = kws_kernels_for(level).pointee.mfcc_frame
        }
        scratchCount = max(filterbank.paddedBinCount + config.melBins + dct.scratchCount, kernelTables.scratchCount)
        scratch = .allocate(capacity: scratchCount)
        scratch.initialize(repeating: 0, count: scratchCount)
    }

    deinit {
        scratch.deallocate()
    }

    /// Computes the coefficients of one frame of `config.windowLength` samples into `output`.
    ///
    /// `output` is resized to `coefficientCount` only if it has another size, so a caller that
    /// reuses one array never allocates. A frame shorter than the window is zero-padded and
    /// samples past the window are ignored (the streaming and whole-signal paths always pass
    /// exactly one window).
    public func compute(frame: ArraySlice<Float>, into output: inout [Float]) {
        if output.count != coefficientCount {
            output = [Float](repeating: 0, count: coefficientCount)
        }
        frame.withUnsafeBufferPointer { frame in
            output.withUnsafeMutableBufferPointer { output in
                compute(frame: frame, into: output)
            }
        }
    }

    /// The pointer form behind `compute(frame:into:)`, for callers that own a window buffer.
    /// - Precondition: `output.count ≥ coefficientCount`.
    func compute(frame: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        guard let outputStart = output.baseAddress, output.count >= coefficientCount else { return }
        if let kernels {
            kernelTables.withTables { tables in
                kernels.window(tables, frame.baseAddress, frame.count, fft.inputStart)
                fft.execute()
                kernels.cepstrum(tables, fft.spectrumStart, scratch, outputStart)
            }
            return
        }
        loadWindowedFrame(frame)
        fft.execute()
        let spectrum = scratch
        let logMel = scratch + filterbank.paddedBinCount
        writeSpectrum(into: spectrum)
        filterbank.apply(spectrum: spectrum, into: logMel)
        takeLog(logMel, count: config.melBins)
        dct.apply(logMel, into: outputStart, scratch: logMel + config.melBins)
    }

    /// FFT input = frame × window, zero beyond the window (and beyond a short frame).
    @inline(__always)
    private func loadWindowedFrame(_ frame: UnsafeBufferPointer<Float>) {
        let used = min(frame.count, window.count)
        window.withUnsafeBufferPointer { window in
            fft.withInput { input in
                for i in 0..<used { input[i] = Float(Double(frame[i]) * window[i]) }
                for i in used..<input.count { input[i] = 0 }
            }
        }
    }

    /// Power |X|² per bin for `.tfSignal`; magnitude √(|X|²) for `.audioOps`, whose filterbank
    /// takes the square root of the power spectrogram it is given.
    @inline(__always)
    private func writeSpectrum(into spectrum: UnsafeMutablePointer<Float>) {
        let bins = fft.binCount
        fft.withSpectrum { complex in
            for k in 0..<bins {
                let re = complex[2 * k]
                let im = complex[2 * k + 1]
                spectrum[k] = re * re + im * im
            }
        }
        if config.variant == .audioOps {
            for k in 0..<bins { spectrum[k] = spectrum[k].squareRoot() }
        }
    }

    /// ln(x + logOffset) for `.tfSignal`; ln(max(x, 1e-12)) for `.audioOps` (TF's fixed floor).
    @inline(__always)
    private func takeLog(_ values: UnsafeMutablePointer<Float>, count: Int) {
        switch config.variant {
        case .tfSignal:
            let offset = Float(config.logOffset)
            for i in 0..<count { values[i] += offset }
        case .audioOps:
            for i in 0..<count { values[i] = max(values[i], 1e-12) }
        }
        let raw = UnsafeMutableRawPointer(values)
        let vectorEnd = count / 4 * 4
        for i in stride(from: 0, to: vectorEnd, by: 4) {
            let byte = i * MemoryLayout<Float>.stride
            let logs = MFCCVectorLog.log(raw.loadUnaligned(fromByteOffset: byte, as: SIMD4<Float>.self))
            raw.storeBytes(of: logs, toByteOffset: byte, as: SIMD4<Float>.self)
        }
        for i in vectorEnd..<count { values[i] = logf(values[i]) }
    }
}
