import FoundationEssentials

/// The `highway` metadata of a precision-highway model file (JSON, written by `Training/qat.py`): bit
/// widths and what stays high precision. The integer tensors alone define the network; the rest is shown
/// by `kws info`.
public struct HighwayQuantizationInfo: Codable, Sendable, Equatable {
    /// Always `highway`.
    public var scheme: String
    /// Bits of the residual branches' weight codes (2 or 4).
    public var weightBits: Int
    /// Bits of the residual branches' activation codes (2 or 4).
    public var activationBits: Int
    /// Bits of the trunk, skip paths and residual adds (8).
    public var highwayBits: Int
    /// What stays high precision, in words.
    public var highPrecision: [String]
    /// What is k-bit, in words.
    public var lowPrecision: [String]
    /// Real value of one code of each activation tensor (`stem`, `blocks.0.branch`, `blocks.0.conv1`, ...).
    public var activationSteps: [String: Double]
    /// Test-split top-1 of the fake-quantized PyTorch network, if recorded.
    public var fakeQuantTestAccuracy: Double?
    /// Test-split top-1 of the integer network (the numpy simulation of this file), if recorded.
    public var integerTestAccuracy: Double?

    enum CodingKeys: String, CodingKey {
        case scheme
        case weightBits = "weight_bits"
        case activationBits = "activation_bits"
        case highwayBits = "highway_bits"
        case highPrecision = "high_precision"
        case lowPrecision = "low_precision"
        case activationSteps = "activation_steps"
        case fakeQuantTestAccuracy = "fake_quant_test_accuracy"
        case integerTestAccuracy = "integer_test_accuracy"
    }

    /// Branch bit widths the engine runs.
    public static let supportedBranchBits: Set<Int> = [2, 4]
    /// The highway's bit width.
    public static let highwayBits = 8
}
