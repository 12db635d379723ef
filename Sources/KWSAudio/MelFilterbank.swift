/// The mel filterbank of a front-end configuration, stored sparsely: each mel band keeps only
/// the contiguous run of FFT bins where its triangle is non-zero (about 8 of 257 bins on average
/// for the default 64-band bank, so applying it costs ~500 multiply-adds instead of 16 448).
///
/// Weights are designed in `Double` by the recipe of `config.variant` (see
/// `MelFilterbank+TFSignal.swift` and `MelFilterbank+AudioOps.swift`) and stored as `Float`.
public struct MelFilterbank: Sendable, Equatable {
    /// FFT bins the bank reads: `fftLength / 2 + 1`.
    public let binCount: Int
    /// Mel bands it produces.
    public let melCount: Int
    /// First FFT bin of each band's run.
    let firstBin: [Int]
    /// Start of each band's run in `weights`; band `m` owns `weights[runStart[m] ..< runStart[m + 1]]`.
    let runStart: [Int]
    /// All runs, concatenated in band order.
    let weights: [Float]

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
        for mel in 0..<melCount {
            let nonZero = (0..<binCount).filter { dense[$0 * melCount + mel] != 0 }
            let first = nonZero.first ?? 0
            let last = nonZero.last ?? -1
            firstBin.append(first)
            if first <= last {
                weights += (first...last).map { Float(dense[$0 * melCount + mel]) }
            }
            runStart.append(weights.count)
        }
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
            for (offset, weight) in weights[runStart[mel] ..< runStart[mel + 1]].enumerated() {
                matrix[(firstBin[mel] + offset) * melCount + mel] = weight
            }
        }
        return matrix
    }

    /// Number of stored weights (non-zero runs), a measure of the work per frame.
    public var storedWeightCount: Int { weights.count }

    /// mel[m] = Σ_k weights[k, m] · spectrum[k], accumulated in `Float` in bin order.
    ///
    /// - Precondition: `spectrum` holds `binCount` values and `mel` has room for `melCount`
    ///   (guaranteed by `MFCC`, which owns both buffers).
    @inline(__always)
    func apply(spectrum: UnsafePointer<Float>, into mel: UnsafeMutablePointer<Float>) {
        weights.withUnsafeBufferPointer { weights in
            firstBin.withUnsafeBufferPointer { firstBin in
                runStart.withUnsafeBufferPointer { runStart in
                    for band in 0..<melCount {
                        let start = runStart[band]
                        let count = runStart[band + 1] - start
                        let bins = spectrum + firstBin[band]
                        var sum: Float = 0
                        for offset in 0..<count {
                            sum += weights[start + offset] * bins[offset]
                        }
                        mel[band] = sum
                    }
                }
            }
        }
    }
}
