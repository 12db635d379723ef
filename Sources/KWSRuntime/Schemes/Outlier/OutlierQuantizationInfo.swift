import FoundationEssentials

/// The `outlier_quantization` metadata of an outlier-aware model file (JSON): the scheme's bit widths, the
/// outlier ratio, calibration provenance and per-layer outlier counts. The loader checks the bit widths
/// against what the engine implements and the counts against the tensors; the integer tensors alone define
/// the network, so nothing is recalibrated.
public struct OutlierQuantizationInfo: Codable, Sendable, Equatable {
    /// One 4-bit convolution's weight count and how many of them are 8-bit outliers.
    public struct Layer: Codable, Sendable, Equatable {
        /// Convolution prefix, e.g. `blocks.0.conv1`.
        public var name: String
        /// Weights (`C_out · C_in · K`).
        public var weights: Int
        /// 8-bit outliers among them.
        public var weightOutliers: Int

        enum CodingKeys: String, CodingKey {
            case name, weights
            case weightOutliers = "weight_outliers"
        }
    }

    /// Human-readable scheme.
    public var scheme: String
    /// Dense weight bits of the block convolutions (4).
    public var weightBits: Int
    /// Bits of a weight outlier (8).
    public var outlierWeightBits: Int
    /// Dense activation bits (4, unsigned).
    public var activationBits: Int
    /// Bits of an activation outlier: 16, or 0 when activations have no outliers (r = 0).
    public var outlierActivationBits: Int
    /// Bits of the stem's weights and input (8).
    public var stemBits: Int
    /// Bits of the classifier's weights (8).
    public var classifierBits: Int
    /// The outlier ratio r: per output channel, round(r · n) of a layer's n weights per channel may be
    /// outliers; per activation tensor, values above the calibrated (1 − r) quantile are.
    public var outlierRatio: Double
    /// Estimator of the MFCC input ranges (as int8's, ``RangeEstimator``).
    public var inputEstimator: String
    /// Calibration batches of ``batchSize`` windows.
    public var calibrationBatches: Int
    /// Windows per batch.
    public var batchSize: Int
    /// Distinct clips the batches were drawn from.
    public var distinctClips: Int
    /// Clips reused with augmentation.
    public var augmentedClips: Int
    /// Where the calibration clips came from.
    public var source: String
    /// Calibrated threshold T of each activation tensor (`stem`, `blocks.0.shortcut`, `blocks.0.conv1`,
    /// `blocks.0.out`, ...): the mean over batches of the per-batch (1 − r) quantile of its post-ReLU values.
    public var activationThresholds: [String: Double]
    /// Real value of one 4-bit step of each activation tensor (T/15.5: the cells of codes 0…15 cover [0, T]).
    public var activationScales: [String: Double]
    /// The 4-bit convolutions in execution order.
    public var layers: [Layer]

    enum CodingKeys: String, CodingKey {
        case scheme, source, layers
        case weightBits = "weight_bits"
        case outlierWeightBits = "outlier_weight_bits"
        case activationBits = "activation_bits"
        case outlierActivationBits = "outlier_activation_bits"
        case stemBits = "stem_bits"
        case classifierBits = "classifier_bits"
        case outlierRatio = "outlier_ratio"
        case inputEstimator = "input_estimator"
        case calibrationBatches = "calibration_batches"
        case batchSize = "batch_size"
        case distinctClips = "distinct_clips"
        case augmentedClips = "augmented_clips"
        case activationThresholds = "activation_thresholds"
        case activationScales = "activation_scales"
    }

    /// The bit widths this build implements, by JSON key; `outlier_activation_bits` may also be 0.
    public static let supportedBits: [(key: String, value: Int)] = [
        ("weight_bits", 4), ("outlier_weight_bits", 8), ("activation_bits", 4), ("outlier_activation_bits", 16),
        ("stem_bits", 8), ("classifier_bits", 8),
    ]

    /// The scheme text `kws quantize --scheme outlier` writes.
    public static let defaultScheme = "ol4: per-output-channel symmetric 4-bit weights over [-T, T] (step T/7.5, T = the "
        + "channel's (1-r) quantile of |w|, BN folded) with 8-bit outliers on the same grid extended (sparse: channel offsets, "
        + "index, value); per-tensor unsigned 4-bit activations over [0, T] (step T/15.5, T = calibrated (1-r) quantile) with "
        + "16-bit outliers on the same grid produced at run time; stem: u8 per-coefficient input, s8 weights; "
        + "classifier: s8 over time-summed activation codes; s32 accumulation, fixed-point requantization"

    /// The bit widths of this file, in ``supportedBits`` order.
    var bits: [(key: String, value: Int)] {
        [("weight_bits", weightBits), ("outlier_weight_bits", outlierWeightBits), ("activation_bits", activationBits),
         ("outlier_activation_bits", outlierActivationBits), ("stem_bits", stemBits), ("classifier_bits", classifierBits)]
    }

    /// Weight outliers over all 4-bit layers.
    public var weightOutliers: Int { layers.reduce(0) { $0 + $1.weightOutliers } }

    /// Weights of all 4-bit layers.
    public var fourBitWeights: Int { layers.reduce(0) { $0 + $1.weights } }

    /// Compact JSON with sorted keys.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
