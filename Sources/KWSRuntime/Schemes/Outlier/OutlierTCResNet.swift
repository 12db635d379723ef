/// One convolution of an outlier-aware network (`kws quantize --scheme outlier`), in integer form.
///
/// A 4-bit layer's weight codes are per output channel in steps of T/7.5 (T = the channel's (1 − r) quantile
/// of |w|; ``OutlierQuantizer`` has the details): a code in −7…7 is a dense signed nibble, a code outside is an
/// 8-bit outlier kept sparsely. The stem (``weightBits`` 8) has plain s8 codes and no outliers. Activations are
/// codes in their tensor's 4-bit step `T_a/15.5`; codes above 15 are outliers (up to
/// ``OutlierTCResNet/activationCodeMax``).
///
/// For output step `t` and channel `o`, with `x` the full input codes (dense and outliers alike) padded as
/// ``TemporalConvShape`` says (the stem's padding holds the input zero points):
///
///     acc = bias[o] + Σ weights[j][i][o] · x[t·s + j − pad][i]
///     acc += residualRescale[o].apply(residual[t][o])          (a block's conv2 only; residual = full codes)
///     y[t][o] = clamp(requantization[o].apply(acc), 0, codeMax)  (ReLU and the code range in one clamp)
public struct OutlierConv: IntegerConv, Sendable, Equatable {
    /// The model-file prefix of the float convolution it came from, e.g. `blocks.0.conv1`.
    public let name: String
    /// Geometry.
    public let shape: TemporalConvShape
    /// 4 (dense nibbles plus 8-bit outliers) or 8 (the stem: plain s8).
    public let weightBits: Int
    /// Full codes `[kernelSize][inputChannels][outputChannels]` (dense and outliers together), each in −127…127.
    public let weights: [Int8]
    /// Folded bias in accumulator units (input step × the channel's weight step), zero-point correction of
    /// the stem included.
    public let bias: [Int32]
    /// Accumulator → output code, per output channel (multipliers below 1).
    public let requantization: [FixedPointMultiplier]
    /// Residual code → accumulator units, per output channel; nil unless this is a block's conv2.
    public let residualRescale: [FixedPointMultiplier]?

    /// Largest |code| of a dense 4-bit weight (symmetric, so −8 is never used).
    public static let denseLimit: Int8 = 7

    /// Whether `code` is an outlier in a 4-bit layer (outside the nibble range).
    public static func isOutlier(_ code: Int8) -> Bool { code > denseLimit || code < -denseLimit }

    /// 8-bit outliers among the weights (0 for the stem, whose codes are all plain s8).
    public var weightOutlierCount: Int { weightBits == 4 ? weights.lazy.filter(Self.isOutlier).count : 0 }
}

/// A residual block in outlier-aware integer form (same structure as ``ResidualBlock``).
public struct OutlierBlock: Sendable, Equatable {
    /// 9-tap convolution + ReLU.
    public let conv1: OutlierConv
    /// 9-tap convolution; adds the shortcut (rescaled into its accumulator) before its ReLU.
    public let conv2: OutlierConv
    /// The 1×1 stride-2 projection + ReLU, or nil for an identity shortcut.
    public let shortcut: OutlierConv?
}

/// A whole TC-ResNet quantized outlier-aware: 4-bit weights and activations with sparse 8-bit weight and
/// 16-bit activation outliers in every block convolution; the stem and the classifier stay 8-bit.
///
/// - The stem keeps int8's u8 MFCC input (per-coefficient asymmetric) and s8 weights: its input is signed
///   and lopsided, not a post-ReLU activation a 4-bit unsigned grid fits, and it holds 3% of the weights.
///   Its output is the first 4-bit activation.
/// - The classifier keeps s8 per-row weights over the time-summed full activation codes of the last block:
///   it is under 1% of the weights, and its rounding goes straight into the logits.
public struct OutlierTCResNet: Sendable, Equatable {
    /// MFCC → u8, as in the int8 scheme.
    public let input: QuantizedInput
    /// The stem (``OutlierConv/weightBits`` 8).
    public let stem: OutlierConv
    /// The blocks in order (4-bit layers).
    public let blocks: [OutlierBlock]
    /// Pool + FC: `logit[l] = outputScales[l] · Σ_c weights[l][c] · Σ_t y[t][c]` over full codes.
    public let classifier: QuantizedClassifier
    /// Largest activation code: 15 when activations have no outliers (r = 0: values above T clamp),
    /// otherwise 65535 (16-bit outliers).
    public let activationCodeMax: Int
    /// How it was made (the file's `outlier_quantization` metadata).
    public let info: OutlierQuantizationInfo

    /// Largest dense activation code (unsigned 4-bit).
    public static let denseActivationMax = 15
    /// Largest activation outlier code (16-bit).
    public static let activationOutlierMax = 65535

    /// Every convolution in execution order: stem, then per block shortcut (if any), conv1, conv2.
    public var convolutions: [OutlierConv] {
        [stem] + blocks.flatMap { block in [block.shortcut, block.conv1, block.conv2].compactMap { $0 } }
    }

    /// The 4-bit convolutions (every one but the stem), in execution order.
    public var fourBitConvolutions: [OutlierConv] { Array(convolutions.dropFirst()) }
}
