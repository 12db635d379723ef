/// Why the quantized part of a model file was rejected, or why an int8 engine cannot run a model.
public enum QuantizedModelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The `quantization` metadata is not the JSON `kws quantize` writes.
    case malformedQuantizationMetadata(file: String, reason: String)
    /// A stored value is outside what the integer kernels accept.
    case valueOutOfRange(file: String, tensor: String, index: Int, value: String, allowed: String)
    /// A channel's parameters could overflow the s32 accumulator.
    case accumulatorOverflow(file: String, tensor: String, channel: Int)
    /// `--engine int8` on a model without int8 parameters.
    case notQuantized(model: String, engine: String)

    public var description: String {
        switch self {
        case let .malformedQuantizationMetadata(file, reason):
            return "\(file): metadata \"quantization\" is not valid quantization JSON (\(reason))"
        case let .valueOutOfRange(file, tensor, index, value, allowed):
            return "\(file): tensor \(tensor)[\(index)] = \(value) is outside \(allowed)"
        case let .accumulatorOverflow(file, tensor, channel):
            return "\(file): \(tensor) channel \(channel): bias and multipliers could overflow the s32 accumulator"
        case let .notQuantized(model, engine):
            return "model \(model) has no int8 parameters, so --engine \(engine) cannot run it; pick the quantized model "
                + "(--model \(model)-int8) or make one with `kws quantize \(model) --calibration DIR --out Models/\(model)-int8.safetensors`"
        }
    }
}
