import KWSCore
import Synchronization

/// The tables an `MFCC` needs for one configuration — analysis window, sparse mel filterbank,
/// DCT basis — designed once per configuration and process, so that `FeatureExtractor.features`
/// on short clips does not redo ~20 000 logarithms and cosines per call.
struct MFCCDesign: Sendable {
    /// Periodic Hann, kept in `Double` so that frame × window is rounded once.
    let window: [Double]
    let filterbank: MelFilterbank
    let dct: DCTMatrix
    /// The same tables in the C layout, for the fused pass (kws_mfcc.h).
    let kernelTables: MFCCKernelTables

    /// Configurations kept; a process normally uses one or two.
    private static let capacity = 8
    private static let cache = Mutex<[(config: FrontEndConfig, design: MFCCDesign)]>([])

    /// The design for `config` (validated), from the cache when it has been made before.
    static func make(for config: FrontEndConfig) throws -> MFCCDesign {
        if let cached = cache.withLock({ $0.first { $0.config == config }?.design }) { return cached }
        try config.validate()
        let window = WindowFunctions.periodicHann(length: config.windowLength)
        let filterbank = try MelFilterbank(config: config)
        let dct = DCTMatrix(inputCount: config.melBins, outputCount: config.coefficients)
        let design = MFCCDesign(
            window: window, filterbank: filterbank, dct: dct,
            kernelTables: MFCCKernelTables(config: config, window: window, filterbank: filterbank, dct: dct))
        cache.withLock { entries in
            if entries.count == capacity { entries.removeFirst() }
            entries.append((config, design))
        }
        return design
    }
}
