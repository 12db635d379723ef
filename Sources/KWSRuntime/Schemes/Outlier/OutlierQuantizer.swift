/// Post-training outlier-aware quantization (SPEC.md §3.2) of a float ``TCResNetModel`` from an
/// ``OutlierCalibration``: no fine-tuning, nothing learned.
///
/// - Block convolutions: per output channel of n weights, k = round(r·n) outliers. T, the (1 − r) quantile of
///   |w|, lies between D, the largest magnitude that stays dense (the (k+1)-th largest), and O, the smallest
///   outlier (the k-th largest): the midpoint, but at most 7.5·D/7, so that D lands exactly on code ±7 when
///   the gap is wide. The step is T/7.5, so the rounding cells of the codes −7…7 cover exactly [−T, T]: every
///   |w| < T is a dense nibble, every |w| > T an 8-bit outlier on the same grid extended (codes round(w/step)).
///   With k = 0 the step is max|w|/7 (no outliers). The step is at least max|w|/127 so every outlier fits in
///   8 bits (this only binds when a channel's largest weight exceeds 17·T, and then some of the k stay dense).
///   One step per channel for both, so an outlier's contribution is an exact integer in the same accumulator.
/// - Activations: per tensor, 4-bit step T_a/15.5 with T_a from calibration (the cells of codes 0…15 cover
///   [0, T_a]); codes above 15 are outliers on the same grid (16-bit), or clamp to 15 when r = 0 (4-bit with no
///   outliers at all: the baseline).
/// - Stem and classifier: 8-bit exactly as ``Quantizer`` does them (OutlierTCResNet says why), the stem
///   requantizing into the 4-bit step of its output.
public enum OutlierQuantizer {
    /// Largest |code| of an 8-bit weight outlier.
    static let outlierLimit = 127.0

    /// Builds the integer network. `source` is recorded in the metadata.
    public static func quantize(_ model: TCResNetModel, calibration: OutlierCalibration, batchSize: Int,
                                distinctClips: Int, augmentedClips: Int, source: String) throws -> OutlierTCResNet {
        guard calibration.batches > 0 else { throw QuantizationError.noCalibrationData(model: model.name) }
        let ratio = calibration.ratio
        let thresholds = calibration.activationThresholds
        let scales = thresholds.mapValues(activationScale(threshold:))
        func scale(_ name: String) -> Double { scales[name] ?? activationScale(threshold: 0) }
        let codeMax = ratio > 0 ? OutlierTCResNet.activationOutlierMax : OutlierTCResNet.denseActivationMax

        let input = quantizedInput(calibration.inputRange)
        let layer = OutlierLayerQuantizer(modelName: model.name, ratio: ratio)
        let stem8 = try LayerQuantizer(modelName: model.name).quantizeStem(model.stem, input: input, outputScale: scale("stem"))
        let stem = try layer.checked(OutlierConv(name: stem8.name, shape: stem8.shape, weightBits: 8, weights: stem8.weights,
                                                 bias: stem8.bias, requantization: stem8.requantization, residualRescale: nil),
                                     inputCodeMax: 255, residualCodeMax: 0)
        var blocks = [OutlierBlock]()
        var current = scale("stem")
        for (index, block) in model.blocks.enumerated() {
            let prefix = "blocks.\(index)"
            var residualScale = current
            var shortcut: OutlierConv?
            if let projection = block.shortcut {
                residualScale = scale("\(prefix).shortcut")
                shortcut = try layer.quantize(projection, inputScale: current, outputScale: residualScale, residualScale: nil,
                                              codeMax: codeMax)
            }
            let conv1 = try layer.quantize(block.conv1, inputScale: current, outputScale: scale("\(prefix).conv1"),
                                           residualScale: nil, codeMax: codeMax)
            let output = scale("\(prefix).out")
            let conv2 = try layer.quantize(block.conv2, inputScale: scale("\(prefix).conv1"), outputScale: output,
                                           residualScale: residualScale, codeMax: codeMax)
            blocks.append(OutlierBlock(conv1: conv1, conv2: conv2, shortcut: shortcut))
            current = output
        }
        let timeSteps = model.blocks.last?.conv2.shape.outputLength ?? model.stem.shape.outputLength
        let classifier = quantizeClassifier(model, activationScale: current, timeSteps: timeSteps)
        let fourBit = blocks.flatMap { [$0.shortcut, $0.conv1, $0.conv2].compactMap { $0 } }
        let info = OutlierQuantizationInfo(
            scheme: OutlierQuantizationInfo.defaultScheme, weightBits: 4, outlierWeightBits: 8, activationBits: 4,
            outlierActivationBits: ratio > 0 ? 16 : 0, stemBits: 8, classifierBits: 8, outlierRatio: ratio,
            inputEstimator: OutlierCalibration.inputEstimator.rawValue, calibrationBatches: calibration.batches,
            batchSize: batchSize, distinctClips: distinctClips, augmentedClips: augmentedClips, source: source,
            activationThresholds: thresholds, activationScales: scales,
            layers: fourBit.map { .init(name: $0.name, weights: $0.weights.count, weightOutliers: $0.weightOutlierCount) })
        return OutlierTCResNet(input: input, stem: stem, blocks: blocks, classifier: classifier, activationCodeMax: codeMax,
                               info: info)
    }

    /// One 4-bit step for a post-ReLU threshold T (the top code's rounding cell ends at T); a dead tensor
    /// (T = 0) gets an arbitrary step.
    static func activationScale(threshold: Double) -> Double {
        threshold > 0 && threshold.isFinite ? threshold / (Double(OutlierTCResNet.denseActivationMax) + 0.5) : 1.0 / 15
    }

    /// The channel threshold for magnitudes sorted ascending: how many weights lie above it (k = `round(r · n)`,
    /// at most n − 1) and T: the largest magnitude when k = 0, else `min((D + O)/2, 7.5·D/7)` with D the
    /// (k+1)-th and O the k-th largest magnitude.
    public static func threshold(sortedMagnitudes: [Double], ratio: Double) -> (threshold: Double, outliers: Int) {
        let count = sortedMagnitudes.count
        guard count > 0 else { return (0, 0) }
        let outliers = Swift.min(count - 1, Swift.max(0, Int((ratio * Double(count)).rounded())))
        guard outliers > 0 else { return (sortedMagnitudes[count - 1], 0) }
        let (dense, outlier) = (sortedMagnitudes[count - 1 - outliers], sortedMagnitudes[count - outliers])
        return (Swift.min((dense + outlier) / 2, dense * 7.5 / 7), outliers)
    }

    /// The weight step of a channel: T/7.5 with outliers (cells of −7…7 cover [−T, T]), T/7 without (the
    /// largest weight is code ±7), and never below `largest`/127.
    public static func weightStep(threshold: Double, outliers: Int, largest: Double) -> Double {
        let dense = Double(OutlierConv.denseLimit) + (outliers > 0 ? 0.5 : 0)
        let step = Swift.max(threshold / dense, largest / outlierLimit)
        return step > 0 && step.isFinite ? step : 1
    }

    /// Per output channel (`index % outputs`, the layout `[k][C_in][C_out]`): codes in −127…127 and the step.
    public static func quantizeWeights(_ weights: [Float], outputs: Int, ratio: Double) -> (codes: [Int8], steps: [Double]) {
        var magnitudes = [[Double]](repeating: [], count: outputs)
        for (index, value) in weights.enumerated() { magnitudes[index % outputs].append(abs(Double(value))) }
        let steps = magnitudes.map { channel -> Double in
            let sorted = channel.sorted()
            let (threshold, outliers) = Self.threshold(sortedMagnitudes: sorted, ratio: ratio)
            return weightStep(threshold: threshold, outliers: outliers, largest: sorted.last ?? 0)
        }
        let codes = weights.enumerated().map { index, value in
            Int8(Swift.max(-outlierLimit, Swift.min(outlierLimit, (Double(value) / steps[index % outputs]).rounded())))
        }
        return (codes, steps)
    }

    /// The int8 scheme's per-coefficient asymmetric u8 input (``Quantizer``), from calibrated ranges.
    static func quantizedInput(_ ranges: [(lower: Double, upper: Double)]) -> QuantizedInput {
        var scales = [Float]()
        var zeroPoints = [UInt8]()
        for (lower, upper) in ranges {
            let width = upper - lower
            let step = Float(width > 0 && width.isFinite ? width / 255 : 1)
            scales.append(step)
            zeroPoints.append(UInt8(Swift.max(0, Swift.min(255, (-lower / Double(step)).rounded()))))
        }
        return QuantizedInput(scales: scales, zeroPoints: zeroPoints)
    }

    /// s8 per-row classifier over the time-summed codes, as ``Quantizer``'s.
    static func quantizeClassifier(_ model: TCResNetModel, activationScale: Double, timeSteps: Int) -> QuantizedClassifier {
        let inputs = model.classifierInputs
        var weights = [Int8]()
        var outputScales = [Float]()
        for label in 0..<model.labels.count {
            let row = model.classifierWeights[(label * inputs)..<((label + 1) * inputs)]
            let largest = Double(row.map { abs($0) }.max() ?? 0)
            let step = largest > 0 ? largest / Quantizer.weightLimit : 1
            weights += row.map { Int8(Swift.max(-Quantizer.weightLimit, Swift.min(Quantizer.weightLimit, (Double($0) / step).rounded()))) }
            outputScales.append(Float(step * activationScale / Double(timeSteps)))
        }
        return QuantizedClassifier(weights: weights, outputScales: outputScales)
    }
}

/// Quantizes single 4-bit convolutions of one model (the name goes into errors).
struct OutlierLayerQuantizer {
    let modelName: String
    let ratio: Double

    /// Input codes with step `inputScale`, output codes with step `outputScale` (clamped at `codeMax`), and
    /// for a block's conv2 a residual with step `residualScale` rescaled into the accumulator.
    func quantize(_ conv: TemporalConv, inputScale: Double, outputScale: Double, residualScale: Double?,
                  codeMax: Int) throws -> OutlierConv {
        let (codes, steps) = OutlierQuantizer.quantizeWeights(conv.weights, outputs: conv.shape.outputChannels, ratio: ratio)
        let accumulatorSteps = steps.map { $0 * inputScale }
        let bias = zip(conv.bias, accumulatorSteps).map { value, step in
            Int32(Swift.max(-LayerQuantizer.biasLimit, Swift.min(LayerQuantizer.biasLimit, (Double(value) / step).rounded())))
        }
        let requantization = try multipliers(accumulatorSteps.map { $0 / outputScale }, tensor: conv.name,
                                             minimumShift: FixedPointMultiplier.requantizationMinimumShift)
        let residual = try residualScale.map { scale in
            try multipliers(accumulatorSteps.map { scale / $0 }, tensor: "\(conv.name) residual", minimumShift: 1)
        }
        return try checked(OutlierConv(name: conv.name, shape: conv.shape, weightBits: 4, weights: codes, bias: bias,
                                       requantization: requantization, residualRescale: residual),
                           inputCodeMax: codeMax, residualCodeMax: codeMax)
    }

    func checked(_ conv: OutlierConv, inputCodeMax: Int, residualCodeMax: Int) throws -> OutlierConv {
        if let channel = OutlierConvBounds.firstOverflowingChannel(conv, inputCodeMax: inputCodeMax, residualCodeMax: residualCodeMax) {
            throw QuantizationError.accumulatorOverflow(model: modelName, tensor: conv.name, channel: channel)
        }
        return conv
    }

    private func multipliers(_ reals: [Double], tensor: String, minimumShift: Int32) throws -> [FixedPointMultiplier] {
        try reals.enumerated().map { channel, real in
            guard let multiplier = FixedPointMultiplier(real: real), multiplier.shift >= minimumShift else {
                throw QuantizationError.multiplierOutOfRange(model: modelName, tensor: tensor, channel: channel, value: real)
            }
            return multiplier
        }
    }
}

/// The s32 headroom rule of kws_conv1d_ol4.h: per channel, `|bias| + Σ_q |W[q][o]| · inputCodeMax +
/// residual.apply(residualCodeMax) + 1 < 2^31`, so no partial sum wraps in any order.
enum OutlierConvBounds {
    /// The first channel that breaks the rule, or nil.
    static func firstOverflowingChannel(_ conv: OutlierConv, inputCodeMax: Int, residualCodeMax: Int) -> Int? {
        let outputs = conv.shape.outputChannels
        var magnitudes = [Int64](repeating: 0, count: outputs)
        for (index, code) in conv.weights.enumerated() { magnitudes[index % outputs] += Int64(abs(Int(code))) }
        for channel in 0..<outputs {
            var bound = abs(Int64(conv.bias[channel])) + magnitudes[channel] * Int64(inputCodeMax) + 1
            if let residual = conv.residualRescale { bound += residual[channel].apply(Int64(residualCodeMax)) }
            if bound >= Int64(Int32.max) { return channel }
        }
        return nil
    }
}
