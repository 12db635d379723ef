import CKWSKernels
import FoundationEssentials
import KWSCore

/// One configuration's MFCC tables in the C layout (`kws_mfcc_tables`, kws_mfcc.h), for the fused C pass
/// that follows the FFT. Made once per configuration (kept in `MFCCDesign`'s cache) and never changed.
///
/// The C struct holds raw pointers, so the arrays it points into are copied into buffers this class owns
/// and frees on deinit; `withTables` keeps the class alive while C reads them.
final class MFCCKernelTables: @unchecked Sendable {
    // @unchecked: every buffer is written once in init and only read afterwards, from any thread.

    private let window: UnsafeMutableBufferPointer<Double>
    private let firstBin: UnsafeMutableBufferPointer<Int32>
    private let runStart: UnsafeMutableBufferPointer<Int32>
    private let melWeights: UnsafeMutableBufferPointer<Float>
    /// DCTMatrix's two halves side by side: row n is the even half's row, then the odd half's.
    private let dctBasis: UnsafeMutableBufferPointer<Float>
    private let tables: kws_mfcc_tables
    /// Floats of scratch the cepstrum stage needs (`kws_mfcc_scratch_count`).
    let scratchCount: Int

    init(config: FrontEndConfig, window: [Double], filterbank: MelFilterbank, dct: DCTMatrix) {
        func copy<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
            // At least one element, so that every pointer handed to C is non-null.
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(values.count, 1))
            _ = buffer.initialize(from: values)
            return buffer
        }
        self.window = copy(window)
        firstBin = copy(filterbank.firstBin.map { Int32($0) })
        runStart = copy(filterbank.runStart.map { Int32($0) })
        melWeights = copy(filterbank.weights)
        let dctStride = dct.even.stride + dct.odd.stride
        var combined = [Float](repeating: 0, count: dct.folded * dctStride)
        for n in 0..<dct.folded {
            for j in 0..<dct.even.stride { combined[n * dctStride + j] = dct.even.basis[n * dct.even.stride + j] }
            for j in 0..<dct.odd.stride { combined[n * dctStride + dct.even.stride + j] = dct.odd.basis[n * dct.odd.stride + j] }
        }
        dctBasis = copy(combined)
        tables = kws_mfcc_tables(
            window_length: config.windowLength, window: self.window.baseAddress,
            fft_length: config.fftLength, bin_count: filterbank.binCount,
            mel_count: filterbank.melCount, first_bin: firstBin.baseAddress, run_start: runStart.baseAddress,
            mel_weights: melWeights.baseAddress,
            magnitude: config.variant == .audioOps ? 1 : 0, log_offset: Float(config.logOffset),
            dct_outputs: dct.outputCount, folded: dct.folded,
            even_count: dct.even.count, even_stride: dct.even.stride,
            odd_count: dct.odd.count, odd_stride: dct.odd.stride,
            dct_stride: dctStride, dct_basis: dctBasis.baseAddress)
        var probe = tables
        scratchCount = kws_mfcc_scratch_count(&probe)
    }

    deinit {
        window.deallocate()
        firstBin.deallocate()
        runStart.deallocate()
        melWeights.deallocate()
        dctBasis.deallocate()
    }

    /// Gives `body` the C tables; valid only inside `body`.
    @inline(__always)
    func withTables<R>(_ body: (UnsafePointer<kws_mfcc_tables>) throws -> R) rethrows -> R {
        try withUnsafePointer(to: tables) { try body($0) }
    }
}

/// Which code computes the MFCC stages around the FFT.
enum MFCCImplementation: Equatable, Sendable {
    /// The Swift stages (MelFilterbank.apply, MFCCVectorLog, DCTMatrix.apply): the reference of the C pass.
    case swiftReference
    /// The C pass of the kernel table at this level (`kws_kernels_for`): the variant chosen may be lower.
    case kernels(kws_isa)

    /// The C pass at the CPU's best level, lowered by `KWS_ISA` (the same names `KernelISA` parses:
    /// scalar, avx2/avx2fma, avx512/avx512f/avx512vnni, and on aarch64 neon/asimd, neondot/dotprod/asimddp).
    /// Read once per process: the environment is not re-read for every `FeatureExtractor.features` call
    /// (building `ProcessInfo`'s environment dictionary cost more than the MFCC of a short clip).
    static let preferred: MFCCImplementation = .kernels(min(environmentLevel ?? kws_isa_detect(), kws_isa_detect()))

    private static var environmentLevel: kws_isa? {
        guard let text = ProcessInfo.processInfo.environment["KWS_ISA"] else { return nil }
        switch text.trimmingWhitespace().lowercased() {
        case "scalar": return KWS_ISA_SCALAR
#if arch(arm64)
        case "neon", "asimd": return KWS_ISA_NEON
        case "neondot", "dotprod", "asimddp": return KWS_ISA_NEONDOT
#else
        case "avx2", "avx2fma": return KWS_ISA_AVX2
        case "avx512", "avx512f", "avx512vnni": return KWS_ISA_AVX512
#endif
        default: return nil
        }
    }
}

private func min(_ a: kws_isa, _ b: kws_isa) -> kws_isa { a.rawValue <= b.rawValue ? a : b }
