/// One convolution in integer form: s8 weights per output channel, an s32 bias in the accumulator's scale,
/// and the fixed-point multipliers that take the accumulator to the next u8 activation.
///
/// For output step `t` and channel `o` (input `x` is u8, padded as ``TemporalConvShape`` says, with the
/// input's zero point in the padding):
///
///     acc = bias[o] + Σ weights[j][i][o] · x[t·s + j − pad][i]
///     acc += residualRescale[o].apply(residual[t][o])           (conv2 of a block only)
///     y[t][o] = clamp(requantization[o].apply(acc), 0, 255)      (ReLU and the u8 range in one clamp)
public struct QuantizedConv: IntegerConv, Sendable, Equatable {
    /// The model-file prefix of the float convolution it came from, e.g. `blocks.0.conv1`.
    public let name: String
    /// Geometry.
    public let shape: TemporalConvShape
    /// `[kernelSize][inputChannels][outputChannels]`, like ``TemporalConv/weights``; each in `-127...127`.
    public let weights: [Int8]
    /// Folded bias in accumulator units (input scale × weight scale of the channel), zero-point
    /// correction of the stem included.
    public let bias: [Int32]
    /// Accumulator → output u8, per output channel.
    public let requantization: [FixedPointMultiplier]
    /// Residual u8 → accumulator units, per output channel; nil unless this is a block's conv2.
    public let residualRescale: [FixedPointMultiplier]?
}

/// A residual block in integer form (same structure as ``ResidualBlock``).
public struct QuantizedBlock: Sendable, Equatable {
    /// 9-tap convolution + ReLU.
    public let conv1: QuantizedConv
    /// 9-tap convolution; adds the shortcut (rescaled into its accumulator) before its ReLU.
    public let conv2: QuantizedConv
    /// The 1×1 stride-2 projection + ReLU, or nil for an identity shortcut.
    public let shortcut: QuantizedConv?
}

/// How the float MFCC input becomes u8: per coefficient `q = clamp(round(x / scale) + zeroPoint, 0, 255)`
/// (round half to even; NaN becomes 0). Asymmetric because MFCCs are signed and lopsided (c0 reaches −250,
/// the others stay within about ±50), per coefficient so the small coefficients keep their resolution.
public struct QuantizedInput: Sendable, Equatable {
    /// Real value of one step, per coefficient (finite, > 0).
    public let scales: [Float]
    /// The u8 code of real 0 per coefficient: the stem's padding rows hold it.
    public let zeroPoints: [UInt8]

    /// `1 / scale`, what the kernels multiply by.
    public var inverseScales: [Float] { scales.map { 1 / $0 } }
}

/// The classifier in integer form: `logit[l] = outputScales[l] · Σ_c weights[l][c] · Σ_t y[t][c]`, an exact
/// s32 dot product of the time-summed u8 activations, scaled once to float per logit.
public struct QuantizedClassifier: Sendable, Equatable {
    /// `[labels][inputs]`, per-row symmetric, each in `-127...127`.
    public let weights: [Int8]
    /// Per label: row weight scale × last activation scale ÷ time steps (the average pool's 1/T).
    public let outputScales: [Float]
}

/// A whole TC-ResNet in integer form, as `kws quantize` stores it beside the float tensors.
public struct QuantizedTCResNet: Sendable, Equatable {
    /// MFCC → u8.
    public let input: QuantizedInput
    /// The stem (s8 weights already include the per-coefficient input scales).
    public let stem: QuantizedConv
    /// The blocks in order.
    public let blocks: [QuantizedBlock]
    /// Pool + FC.
    public let classifier: QuantizedClassifier
    /// How it was made (the file's `quantization` metadata).
    public let info: QuantizationInfo

    /// Every convolution in execution order: stem, then per block shortcut (if any), conv1, conv2.
    public var convolutions: [QuantizedConv] {
        [stem] + blocks.flatMap { block in [block.shortcut, block.conv1, block.conv2].compactMap { $0 } }
    }
}
