import FoundationEssentials

/// The `quantization` metadata of a quantized model file (JSON): how the integer tensors were made.
/// Loading reads it for display only; the integer tensors alone define the network, so nothing is
/// recalibrated.
public struct QuantizationInfo: Codable, Sendable, Equatable {
    /// Human-readable scheme, e.g. per-channel symmetric s8 weights, per-tensor u8 activations.
    public var scheme: String
    /// The range estimator used for activations (``RangeEstimator`` raw value).
    public var estimator: String
    /// Calibration batches of ``batchSize`` clips.
    public var calibrationBatches: Int
    /// Clips per batch.
    public var batchSize: Int
    /// Distinct clips the batches were drawn from.
    public var distinctClips: Int
    /// Clips reused with augmentation (time shift and gain) because the batches needed more than `distinctClips`.
    public var augmentedClips: Int
    /// Where the calibration clips came from (list file or directory).
    public var source: String
    /// Real value of one u8 step of each activation tensor, by name (`stem`, `blocks.0.shortcut`,
    /// `blocks.0.conv1`, `blocks.0.out`, ...).
    public var activationScales: [String: Double]
    /// The calibrated float range of each activation tensor (upper end; lower is 0 after ReLU).
    public var activationRanges: [String: Double]

    enum CodingKeys: String, CodingKey {
        case scheme, estimator, source
        case calibrationBatches = "calibration_batches"
        case batchSize = "batch_size"
        case distinctClips = "distinct_clips"
        case augmentedClips = "augmented_clips"
        case activationScales = "activation_scales"
        case activationRanges = "activation_ranges"
    }

    /// The default scheme text.
    public static let defaultScheme = "int8: per-output-channel symmetric s8 weights (BN folded), per-tensor u8 activations "
        + "(zero point 0, after ReLU), per-coefficient asymmetric u8 input, s32 accumulation, fixed-point requantization, "
        + "residual rescaled into the s32 accumulator, integer FC on the time-summed u8 activations"

    /// Compact JSON with sorted keys.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
