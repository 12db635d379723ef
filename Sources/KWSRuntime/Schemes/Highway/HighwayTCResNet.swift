/// A convolution of a residual branch in precision-highway form: k-bit weight codes per output channel on
/// k-bit input codes.
///
/// For output step `t` and channel `o` (input `x` holds codes 0…2^k − 1, zero-padded as
/// ``TemporalConvShape`` says):
///
///     acc = bias[o] + Σ weights[j][i][o] · x[t·s + j − pad][i]
///     acc += residualRescale[o].apply(skip[t][o])                   (conv2: the 8-bit skip tensor)
///     y[t][o] = clamp(requantization[o].apply(acc), 0, outputMaximum)
///
/// conv1's output is the k-bit input of conv2 (`outputMaximum` 2^k − 1); conv2's output is the next u8
/// trunk tensor (`outputMaximum` 255). Requantization multipliers may exceed 1 (a k-bit accumulator unit can
/// be coarser than the output step); the loader checks that every result fits in s32.
public struct HighwayConv: IntegerConv, Sendable, Equatable {
    /// The model-file prefix of the float convolution it came from, e.g. `blocks.0.conv1`.
    public let name: String
    /// Geometry.
    public let shape: TemporalConvShape
    /// Bits per weight code: 2 or 4.
    public let weightBits: Int
    /// Codes `[kernelSize][inputChannels][outputChannels]`, each within ±(2^(k−1) − 1).
    public let weights: [Int8]
    /// Folded bias in accumulator units (input step × the channel's weight step).
    public let bias: [Int32]
    /// Accumulator → output code, per output channel.
    public let requantization: [FixedPointMultiplier]
    /// Skip code → accumulator units, per output channel; nil unless this is a block's conv2.
    public let residualRescale: [FixedPointMultiplier]?
    /// Largest output code: 2^k − 1 (conv1) or 255 (conv2).
    public let outputMaximum: Int

    /// Bytes of its packed weights in a model file: `⌈count · k / 8⌉`.
    public var packedWeightBytes: Int { LowBitPacking.byteCount(codes: weights.count, bits: weightBits) }
}

/// The requantization of a u8 trunk tensor into a block's k-bit branch input:
/// `min(maximum, ⌊(x · multiplier + r) / 2^shift⌋)` with `r = 2^(shift−1)` (0 when `shift` is 0).
public struct BranchRequantization: Sendable, Equatable {
    /// `m < 2^23`, so `255 · m + 2^30` stays below 2^32 (unsigned 32-bit SIMD lanes).
    public let multiplier: UInt32
    /// `n` in `0...31`.
    public let shift: UInt32
    /// 2^k − 1.
    public let maximum: UInt8

    /// Largest multiplier and shift a file may hold.
    public static let multiplierLimit: UInt32 = 1 << 23
    /// See ``multiplierLimit``.
    public static let shiftLimit: UInt32 = 31

    /// The branch code of trunk code `x`.
    public func apply(_ x: UInt8) -> UInt8 {
        let rounding: UInt32 = shift > 0 ? 1 << (shift - 1) : 0
        return UInt8(min(UInt32(maximum), (UInt32(x) * multiplier + rounding) >> shift))
    }
}

/// A residual block in precision-highway form: the skip path (identity, or the 8-bit projection) and the
/// residual add stay 8-bit; the branch runs on k-bit codes.
public struct HighwayBlock: Sendable, Equatable {
    /// Trunk u8 → k-bit branch input.
    public let branchInput: BranchRequantization
    /// 9-tap k-bit convolution + ReLU, k-bit output.
    public let conv1: HighwayConv
    /// 9-tap k-bit convolution; adds the 8-bit skip tensor into its accumulator; u8 output (the trunk).
    public let conv2: HighwayConv
    /// The 8-bit 1×1 stride-2 projection + ReLU (same arithmetic as ``QuantizedConv``), or nil for identity.
    public let shortcut: QuantizedConv?
}

/// A whole TC-ResNet in precision-highway form (`Models/<name>-hw<k>.safetensors`, trained by
/// `Training/qat.py`): k-bit weights and activations in every convolution of the residual branches; 8-bit
/// input, stem, trunk, projection shortcuts, residual adds and classifier (the "highway").
public struct HighwayTCResNet: Sendable, Equatable {
    /// MFCC → u8, per coefficient (as the int8 scheme).
    public let input: QuantizedInput
    /// The 8-bit stem (its weights include the per-coefficient input scales; bias includes the zero points).
    public let stem: QuantizedConv
    /// The blocks in order.
    public let blocks: [HighwayBlock]
    /// Pool + FC over the time-summed u8 trunk, as the int8 scheme.
    public let classifier: QuantizedClassifier
    /// How it was made (the file's `highway` metadata).
    public let info: HighwayQuantizationInfo

    /// Bits of the branch weights.
    public var weightBits: Int { info.weightBits }
    /// Bits of the branch activations.
    public var activationBits: Int { info.activationBits }

    /// The k-bit convolutions in execution order (conv1, conv2 of each block).
    public var branchConvolutions: [HighwayConv] { blocks.flatMap { [$0.conv1, $0.conv2] } }

    /// The 8-bit convolutions: the stem, then every projection shortcut.
    public var eightBitConvolutions: [QuantizedConv] { [stem] + blocks.compactMap(\.shortcut) }

    /// Bytes of the integer parameters the engine reads, as stored: packed k-bit weights, s8 weights, s32
    /// biases and multipliers, input and classifier scales (the `hw.` tensors of the file).
    public var parameterBytes: Int {
        var bytes = input.scales.count * 4 + input.zeroPoints.count
        for conv in eightBitConvolutions {
            bytes += conv.weights.count + conv.bias.count * 12
            if let residual = conv.residualRescale { bytes += residual.count * 8 }
        }
        for conv in branchConvolutions {
            bytes += conv.packedWeightBytes + conv.bias.count * 12
            if let residual = conv.residualRescale { bytes += residual.count * 8 }
        }
        bytes += blocks.count * 8
        return bytes + classifier.weights.count + classifier.outputScales.count * 4
    }

    /// Bytes of the weights alone (packed k-bit branch weights plus the s8 stem, shortcut and classifier).
    public var weightBytes: Int {
        eightBitConvolutions.reduce(0) { $0 + $1.weights.count } + branchConvolutions.reduce(0) { $0 + $1.packedWeightBytes }
            + classifier.weights.count
    }
}
