/// Why the precision-highway part of a model file was rejected, or why `--engine highway` cannot run a model.
public enum HighwayModelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The `highway` metadata is not the JSON `Training/qat.py` writes.
    case malformedMetadata(file: String, reason: String)
    /// A bit width the engine does not implement (branch weights and activations: 2 or 4; highway: 8).
    case unsupportedBitWidth(file: String, key: String, value: Int, allowed: String)
    /// A packed k-bit weight tensor whose unused high bits are not zero.
    case nonzeroPadding(file: String, tensor: String)
    /// `--engine highway` on a model without highway parameters.
    case notHighway(model: String)

    public var description: String {
        switch self {
        case let .malformedMetadata(file, reason):
            return "\(file): metadata \"highway\" is not valid highway JSON (\(reason))"
        case let .unsupportedBitWidth(file, key, value, allowed):
            return "\(file): metadata \"highway\" has \(key) = \(value); the highway engine supports \(allowed)"
        case let .nonzeroPadding(file, tensor):
            return "\(file): tensor \(tensor) has nonzero bits after its last packed code"
        case let .notHighway(model):
            return "model \(model) has no precision-highway parameters, so --engine highway cannot run it; pick a "
                + "highway model (e.g. --model tc-resnet8-hw4) made by Training/qat.py"
        }
    }
}
