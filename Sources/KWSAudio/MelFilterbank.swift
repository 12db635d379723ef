import KWSCore

/// The mel filterbank of a front-end configuration, stored sparsely: each mel band keeps only
/// the contiguous run of FFT bins where its triangle is non-zero (about 8 of 257 bins on average
/// for the default 64-band bank, so applying it costs ~500 multiply-adds instead of 16 448).
///
/// Weights are designed in `Double` by the recipe of `config.variant` (see
/// `MelFilterbank+TFSignal.swift` and `MelFilterbank+AudioOps.swift`) and stored as `Float`,
/// each run zero-padded to a multiple of 4 so that it is applied with 4-lane SIMD.
public struct MelFilterbank: Sendable, Equatable {
    /// Lanes per SIMD step; runs are padded to a multiple of this, and the spectrum a bank reads
    /// needs `paddedBinCount` values (the extra ones are multiplied by zero weights).
    static let lanes = 4

    /// FFT bins the bank reads: `fftLength / 2 + 1`.
    public let binCount: Int
    /// Mel bands it produces.
    public let melCount: Int
    /// First FFT bin of each band's run.
    let firstBin: [Int]
    /// Start of each band's run in `weights`; band `m` owns `weights[runStart[m] ..< runStart[m + 1]]`,
    /// a multiple of `lanes` long.
    let runStart: [Int]
    /// All runs, concatenated in band order, zero-padded at their ends.
    let weights: [Float]
    /// Non-zero weights (before padding).
    public let storedWeightCount: Int

    /// Spectrum values `apply` may read: `binCount` plus room for the longest run's padding.
    var paddedBinCount: Int { binCount + Self.lanes }

    /// Designs the bank for `config` (validated first).
    public init(config: FrontEndConfig) throws {
        try config.validate()
        let dense: [Double]
        switch config.variant {
        case .tfSignal: dense = Self.tfSignalWeights(config)
        case .audioOps: dense = Self.audioOpsWeights(config)
        }
        self.init(dense: dense, binCount: config.fftLength / 2 + 1, melCount: config.melBins)
    }

    /// Keeps, for each band (column of the bins × mels matrix), the run from its first to its last non-zero bin.
    private init(dense: [Double], binCount: Int, melCount: Int) {
        var firstBin = [Int]()
        var runStart = [0]
        var weights = [Float]()
        var stored = 0
        for mel in 0..<melCount {
            let nonZero = (0..<binCount).filter { dense[$0 * melCount + mel] != 0 }
            let first = nonZero.first ?? 0
            let last = nonZero.last ?? -1
            firstBin.append(first)
            if first <= last {
                weights += (first...last).map { Float(dense[$0 * melCount + mel]) }
                stored += last - first + 1
            }
            while weights.count % Self.lanes != 0 { weights.append(0) }
            runStart.append(weights.count)
        }
        storedWeightCount = stored
        self.binCount = binCount
        self.melCount = melCount
        self.firstBin = firstBin
        self.runStart = runStart
        self.weights = weights
    }

    /// The weights as a dense `binCount × melCount` row-major matrix (bins × mels, the layout of
    /// `tf.signal.linear_to_mel_weight_matrix`), for tests and inspection.
    public func denseMatrix() -> [Float] {
        var matrix = [Float](repeating: 0, count: binCount * melCount)
        for mel in 0..<melCount {
            for (offset, weight) in weights[runStart[mel] ..< runStart[mel + 1]].enumerated() where weight != 0 {
                matrix[(firstBin[mel] + offset) * melCount + mel] = weight
            }
        }
        return matrix
    }

    /// mel[m] = Σ_k weights[k, m] · spectrum[k], four bins at a time, lanes summed at the end.
    ///
    /// - Precondition: `spectrum` holds `paddedBinCount` finite values and `mel` has room for
    ///   `melCount` (guaranteed by `MFCC`, which owns both buffers).
    @inline(__always)
    func apply(spectrum: UnsafePointer<Float>, into mel: UnsafeMutablePointer<Float>) {
        weights.withUnsafeBufferPointer { weights in
            firstBin.withUnsafeBufferPointer { firstBin in
                runStart.withUnsafeBufferPointer { runStart in
                    guard let weightBase = weights.baseAddress else {
                        for band in 0..<melCount { mel[band] = 0 }
                        return
                    }
                    let w = UnsafeRawPointer(weightBase)
                    for band in 0..<melCount {
                        let bins = UnsafeRawPointer(spectrum + firstBin[band])
                        var sum = SIMD4<Float>.zero
                        var byte = runStart[band] * MemoryLayout<Float>.stride
                        var binByte = 0
                        let end = runStart[band + 1] * MemoryLayout<Float>.stride
                        while byte < end {
                            sum += w.loadUnaligned(fromByteOffset: byte, as: SIMD4<Float>.self)
                                * bins.loadUnaligned(fromByteOffset: binByte, as: SIMD4<Float>.self)
                            byte &+= 16
                            binByte &+= 16
                        }
                        mel[band] = sum.sum()
                    }
                }
            }
        }
    }
}
