/// Why the outlier-aware part of a model file was rejected, or why `--engine outlier` cannot run a model.
/// Every case names the file and the metadata key, layer or tensor at fault.
public enum OutlierModelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The `outlier_quantization` metadata is not the JSON `kws quantize --scheme outlier` writes.
    case malformedMetadata(file: String, reason: String)
    /// A bit width in the metadata is not one the engine implements.
    case unsupportedBitWidth(file: String, key: String, found: Int, supported: String)
    /// The outlier ratio is not a number in [0, 0.5).
    case badOutlierRatio(file: String, found: Double)
    /// The metadata's layer list does not name the model's 4-bit convolutions in order, or a count disagrees
    /// with the tensors.
    case layerMismatch(file: String, layer: String, reason: String)
    /// A stored value is outside what the scheme allows.
    case valueOutOfRange(file: String, tensor: String, index: Int, value: String, allowed: String)
    /// The sparse outlier tensors are inconsistent (offsets, index order, overlap with dense codes).
    case inconsistentOutliers(file: String, tensor: String, reason: String)
    /// A channel's parameters could overflow the s32 accumulator.
    case accumulatorOverflow(file: String, tensor: String, channel: Int)
    /// `--engine outlier` on a model without outlier-aware parameters.
    case notOutlierQuantized(model: String)

    public var description: String {
        switch self {
        case let .malformedMetadata(file, reason):
            return "\(file): metadata \"outlier_quantization\" is not valid outlier quantization JSON (\(reason))"
        case let .unsupportedBitWidth(file, key, found, supported):
            return "\(file): metadata \"outlier_quantization\" has \(key) \(found); this build supports \(supported)"
        case let .badOutlierRatio(file, found):
            return "\(file): metadata \"outlier_quantization\" has outlier_ratio \(found), expected a number in [0, 0.5)"
        case let .layerMismatch(file, layer, reason):
            return "\(file): outlier layer \(layer): \(reason)"
        case let .valueOutOfRange(file, tensor, index, value, allowed):
            return "\(file): tensor \(tensor)[\(index)] = \(value) is outside \(allowed)"
        case let .inconsistentOutliers(file, tensor, reason):
            return "\(file): tensor \(tensor): \(reason)"
        case let .accumulatorOverflow(file, tensor, channel):
            return "\(file): \(tensor) channel \(channel): bias, weights and multipliers could overflow the s32 accumulator"
        case let .notOutlierQuantized(model):
            return "model \(model) has no outlier-aware 4-bit parameters, so --engine outlier cannot run it; pick such a model "
                + "(--model \(model)-ol4-0.5) or make one with `kws quantize \(model) --scheme outlier --outlier-ratio 0.005 "
                + "--calibration DIR`"
        }
    }
}
