/// Why a float model could not be quantized.
public enum QuantizationError: Error, CustomStringConvertible, Equatable {
    /// No calibration batch was observed.
    case noCalibrationData(model: String)
    /// A requantization multiplier fell outside what ``FixedPointMultiplier`` represents.
    case multiplierOutOfRange(model: String, tensor: String, channel: Int, value: Double)
    /// A channel's s32 accumulator could overflow with these scales.
    case accumulatorOverflow(model: String, tensor: String, channel: Int)

    public var description: String {
        switch self {
        case let .noCalibrationData(model):
            return "\(model): no calibration windows were observed; give calibration clips that decode to 1 s windows"
        case let .multiplierOutOfRange(model, tensor, channel, value):
            return "\(model): \(tensor) channel \(channel): multiplier \(value) is not representable (requantization needs [0, 1), residual [0, 2^30))"
        case let .accumulatorOverflow(model, tensor, channel):
            return "\(model): \(tensor) channel \(channel): the s32 accumulator could overflow with these scales"
        }
    }
}

/// Post-training quantization of a float ``TCResNetModel`` from a ``Calibration``: per-output-channel
/// symmetric s8 weights, per-tensor u8 activations with zero point 0, per-coefficient asymmetric u8 input.
public enum Quantizer {
    /// Largest |weight| code: symmetric, so −128 is never used.
    static let weightLimit = 127.0

    /// Builds the integer network. `source` is recorded in the metadata (where the clips came from).
    public static func quantize(_ model: TCResNetModel, calibration: Calibration, batchSize: Int,
                                distinctClips: Int, augmentedClips: Int, source: String) throws -> QuantizedTCResNet {
        guard calibration.batches > 0 else { throw QuantizationError.noCalibrationData(model: model.name) }
        let bounds = calibration.activationUpperBounds
        var scales = [String: Double]()
        for (name, upper) in bounds { scales[name] = activationScale(upper: upper) }
        func scale(_ name: String) -> Double { scales[name] ?? 1 }

        // Input: per coefficient, the range always includes 0 so padding (real 0) is exact.
        var inputScales = [Float]()
        var zeroPoints = [UInt8]()
        for (lower, upper) in calibration.inputRange {
            let width = upper - lower
            let step = width > 0 && width.isFinite ? width / 255 : 1
            let stepFloat = Float(step)
            inputScales.append(stepFloat)
            zeroPoints.append(UInt8(Swift.max(0, Swift.min(255, (-lower / Double(stepFloat)).rounded()))))
        }
        let input = QuantizedInput(scales: inputScales, zeroPoints: zeroPoints)

        let layer = LayerQuantizer(modelName: model.name)
        let stem = try layer.quantizeStem(model.stem, input: input, outputScale: scale("stem"))
        var blocks = [QuantizedBlock]()
        var current = scale("stem")
        for (index, block) in model.blocks.enumerated() {
            let prefix = "blocks.\(index)"
            var residualScale = current
            var shortcut: QuantizedConv?
            if let projection = block.shortcut {
                residualScale = scale("\(prefix).shortcut")
                shortcut = try layer.quantize(projection, inputScale: current, outputScale: residualScale, residualScale: nil)
            }
            let conv1 = try layer.quantize(block.conv1, inputScale: current, outputScale: scale("\(prefix).conv1"),
                                           residualScale: nil)
            let output = scale("\(prefix).out")
            let conv2 = try layer.quantize(block.conv2, inputScale: scale("\(prefix).conv1"), outputScale: output,
                                           residualScale: residualScale)
            blocks.append(QuantizedBlock(conv1: conv1, conv2: conv2, shortcut: shortcut))
            current = output
        }
        let classifier = quantizeClassifier(model, activationScale: current,
                                            timeSteps: model.blocks.last?.conv2.shape.outputLength ?? model.stem.shape.outputLength)
        let info = QuantizationInfo(scheme: QuantizationInfo.defaultScheme, estimator: calibration.estimator.rawValue,
                                    calibrationBatches: calibration.batches, batchSize: batchSize,
                                    distinctClips: distinctClips, augmentedClips: augmentedClips, source: source,
                                    activationScales: scales, activationRanges: bounds)
        return QuantizedTCResNet(input: input, stem: stem, blocks: blocks, classifier: classifier, info: info)
    }

    /// One u8 step for a post-ReLU range `[0, upper]`; a dead tensor (upper 0) gets an arbitrary step.
    static func activationScale(upper: Double) -> Double {
        upper > 0 && upper.isFinite ? upper / 255 : 1.0 / 255
    }

    private static func quantizeClassifier(_ model: TCResNetModel, activationScale: Double, timeSteps: Int) -> QuantizedClassifier {
        let inputs = model.classifierInputs
        var weights = [Int8]()
        var outputScales = [Float]()
        for label in 0..<model.labels.count {
            let row = model.classifierWeights[(label * inputs)..<((label + 1) * inputs)]
            let largest = Double(row.map { abs($0) }.max() ?? 0)
            let step = largest > 0 ? largest / weightLimit : 1
            weights += row.map { Int8(Swift.max(-weightLimit, Swift.min(weightLimit, (Double($0) / step).rounded()))) }
            outputScales.append(Float(step * activationScale / Double(timeSteps)))
        }
        return QuantizedClassifier(weights: weights, outputScales: outputScales)
    }
}

/// Quantizes single convolutions for one model (the name goes into errors).
struct LayerQuantizer {
    let modelName: String

    /// Largest |bias| code, leaving headroom in the s32 accumulator for the products and the residual.
    static let biasLimit = Double(1 << 30)

    /// Per output channel: the s8 codes of `weights` (already in the layout `[k][C_in][C_out]`) and the step.
    func quantizeWeights(_ weights: [Float], shape: TemporalConvShape) -> (codes: [Int8], steps: [Double]) {
        let outputs = shape.outputChannels
        var largest = [Double](repeating: 0, count: outputs)
        for (index, value) in weights.enumerated() {
            largest[index % outputs] = Swift.max(largest[index % outputs], abs(Double(value)))
        }
        // An all-zero channel (pruning empties some) has codes 0 for any step; the step only sets its bias
        // resolution and requantization multiplier, so it borrows the layer's finest step, whose multiplier is
        // representable whenever the other channels' are (a fixed 1 could push it past 1 and fail).
        let finest = largest.filter { $0 > 0 }.min().map { $0 / Quantizer.weightLimit } ?? 1
        let steps = largest.map { $0 > 0 ? $0 / Quantizer.weightLimit : finest }
        let codes = weights.enumerated().map { index, value in
            Int8(Swift.max(-Quantizer.weightLimit, Swift.min(Quantizer.weightLimit, (Double(value) / steps[index % outputs]).rounded())))
        }
        return (codes, steps)
    }

    /// The stem: the per-coefficient input steps are folded into the weights before they are quantized, so
    /// the accumulator counts in units of the channel's weight step; the zero points move into the bias.
    func quantizeStem(_ conv: TemporalConv, input: QuantizedInput, outputScale: Double) throws -> QuantizedConv {
        let shape = conv.shape
        let (inputs, outputs) = (shape.inputChannels, shape.outputChannels)
        var scaled = conv.weights
        for index in scaled.indices {
            scaled[index] = Float(Double(scaled[index]) * Double(input.scales[(index / outputs) % inputs]))
        }
        let (codes, steps) = quantizeWeights(scaled, shape: shape)
        var bias = [Int32]()
        for output in 0..<outputs {
            var correction = 0
            for tap in 0..<shape.kernelSize {
                for channel in 0..<inputs {
                    correction += Int(codes[(tap * inputs + channel) * outputs + output]) * Int(input.zeroPoints[channel])
                }
            }
            let code = (Double(conv.bias[output]) / steps[output]).rounded() - Double(correction)
            bias.append(Int32(Swift.max(-Self.biasLimit, Swift.min(Self.biasLimit, code))))
        }
        let requantization = try multipliers(steps.map { $0 / outputScale }, tensor: conv.name,
                                             minimumShift: FixedPointMultiplier.requantizationMinimumShift)
        return try checked(QuantizedConv(name: conv.name, shape: shape, weights: codes, bias: bias,
                                         requantization: requantization, residualRescale: nil))
    }

    /// Any other convolution: u8 input with step `inputScale`, u8 output with step `outputScale`, and, for a
    /// block's conv2, a u8 residual with step `residualScale` rescaled into the accumulator.
    func quantize(_ conv: TemporalConv, inputScale: Double, outputScale: Double, residualScale: Double?) throws -> QuantizedConv {
        let (codes, steps) = quantizeWeights(conv.weights, shape: conv.shape)
        let accumulatorSteps = steps.map { $0 * inputScale }
        let bias = zip(conv.bias, accumulatorSteps).map { value, step in
            Int32(Swift.max(-Self.biasLimit, Swift.min(Self.biasLimit, (Double(value) / step).rounded())))
        }
        let requantization = try multipliers(accumulatorSteps.map { $0 / outputScale }, tensor: conv.name,
                                             minimumShift: FixedPointMultiplier.requantizationMinimumShift)
        let residual = try residualScale.map { scale in
            try multipliers(accumulatorSteps.map { scale / $0 }, tensor: "\(conv.name) residual")
        }
        return try checked(QuantizedConv(name: conv.name, shape: conv.shape, weights: codes, bias: bias,
                                         requantization: requantization, residualRescale: residual))
    }

    private func multipliers(_ reals: [Double], tensor: String, minimumShift: Int32 = 1) throws -> [FixedPointMultiplier] {
        try reals.enumerated().map { channel, real in
            guard let multiplier = FixedPointMultiplier(real: real), multiplier.shift >= minimumShift else {
                throw QuantizationError.multiplierOutOfRange(model: modelName, tensor: tensor, channel: channel, value: real)
            }
            return multiplier
        }
    }

    private func checked(_ conv: QuantizedConv) throws -> QuantizedConv {
        if let channel = QuantizedConvBounds.firstOverflowingChannel(conv) {
            throw QuantizationError.accumulatorOverflow(model: modelName, tensor: conv.name, channel: channel)
        }
        return conv
    }
}

/// The s32 headroom rule every kernel relies on (kws_conv1d_u8s8.h): per channel,
/// `|bias| + depth·255·128 + residual.apply(255) + 1 < 2^31`, so no sum can wrap.
enum QuantizedConvBounds {
    /// The first channel that breaks the rule, or nil.
    static func firstOverflowingChannel(_ conv: QuantizedConv) -> Int? {
        let depth = Int64(conv.shape.kernelSize * conv.shape.inputChannels + 4)
        for channel in 0..<conv.shape.outputChannels {
            var bound = abs(Int64(conv.bias[channel])) + depth * 255 * 128 + 1
            if let residual = conv.residualRescale { bound += residual[channel].apply(255) }
            if bound >= Int64(Int32.max) { return channel }
        }
        return nil
    }
}
