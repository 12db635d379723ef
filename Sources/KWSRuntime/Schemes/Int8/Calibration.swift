/// Observes the float network's activations on calibration windows and records their ranges: per MFCC
/// coefficient for the input, per tensor for every post-ReLU activation.
///
/// Feed whole batches with ``observe(batch:)``; the ranges are what ``Quantizer`` turns into scales.
public struct Calibration {
    /// The float model being observed.
    public let model: TCResNetModel
    /// How ranges are estimated.
    public let estimator: RangeEstimator
    /// Batches observed so far.
    public private(set) var batches = 0

    private var inputRanges: [RangeAccumulator]
    private var activationRanges: [String: RangeAccumulator] = [:]
    private let forward: CalibrationForward

    /// A calibration with nothing observed yet.
    public init(model: TCResNetModel, estimator: RangeEstimator) {
        self.model = model
        self.estimator = estimator
        inputRanges = Array(repeating: RangeAccumulator(estimator: estimator), count: model.inputCoefficients)
        forward = CalibrationForward(model: model)
        for name in CalibrationForward.activationNames(of: model) {
            activationRanges[name] = RangeAccumulator(estimator: estimator)
        }
    }

    /// Runs the float network on every window of one batch (`inputFrames × inputCoefficients` values
    /// each, time-major; windows of another size are skipped) and folds the batch into the ranges.
    public mutating func observe(batch: [[Float]]) {
        guard let observed = forward.observe(batch: batch) else { return }
        for (coefficient, column) in observed.inputColumns.enumerated() { inputRanges[coefficient].observe(column) }
        let collected = observed.activations
        for (name, values) in collected { activationRanges[name]?.observe(values) }
        batches += 1
    }

    /// Per coefficient `(lower, upper)`, with `lower ≤ 0 ≤ upper`.
    public var inputRange: [(lower: Double, upper: Double)] { inputRanges.map { ($0.lower, $0.upper) } }

    /// Upper end of each activation's range by name (the lower end is 0: all are post-ReLU).
    public var activationUpperBounds: [String: Double] { activationRanges.mapValues(\.upper) }
}

/// A float forward pass that keeps every activation the int8 network quantizes, using the float C kernels.
struct CalibrationForward {
    /// One calibration batch: each input coefficient's values over all frames of the batch's windows,
    /// and every quantized activation's values, pooled over the windows.
    struct ObservedBatch {
        let inputColumns: [[Float]]
        let activations: [String: [Float]]
    }

    /// Runs the windows of `batch` that have the model's size (others are skipped); nil when none has.
    func observe(batch: [[Float]]) -> ObservedBatch? {
        let (frames, coefficients) = (model.inputFrames, model.inputCoefficients)
        let windows = batch.filter { $0.count == frames * coefficients }
        guard !windows.isEmpty else { return nil }
        let columns = (0..<coefficients).map { coefficient in
            windows.flatMap { window in (0..<frames).map { window[$0 * coefficients + coefficient] } }
        }
        var pooled = [String: [Float]]()
        for window in windows {
            for (name, values) in activations(window) { pooled[name, default: []] += values }
        }
        return ObservedBatch(inputColumns: columns, activations: pooled)
    }

    private let model: TCResNetModel
    private let stem: PackedFloatConv
    private let blocks: [(conv1: PackedFloatConv, conv2: PackedFloatConv, shortcut: PackedFloatConv?)]

    init(model: TCResNetModel) {
        self.model = model
        stem = PackedFloatConv(model.stem)
        blocks = model.blocks.map { (PackedFloatConv($0.conv1), PackedFloatConv($0.conv2), $0.shortcut.map(PackedFloatConv.init)) }
    }

    /// Names of the recorded activations: `stem`, then per block `blocks.i.shortcut` (projection only),
    /// `blocks.i.conv1` and `blocks.i.out`.
    static func activationNames(of model: TCResNetModel) -> [String] {
        var names = ["stem"]
        for (index, block) in model.blocks.enumerated() {
            if block.shortcut != nil { names.append("blocks.\(index).shortcut") }
            names += ["blocks.\(index).conv1", "blocks.\(index).out"]
        }
        return names
    }

    /// Every recorded activation for one window.
    func activations(_ features: [Float]) -> [String: [Float]] {
        var result = [String: [Float]]()
        var current = run(stem, features, residual: nil)
        result["stem"] = current
        for (index, block) in blocks.enumerated() {
            var residual = current
            if let shortcut = block.shortcut {
                residual = run(shortcut, current, residual: nil)
                result["blocks.\(index).shortcut"] = residual
            }
            let hidden = run(block.conv1, current, residual: nil)
            result["blocks.\(index).conv1"] = hidden
            current = run(block.conv2, hidden, residual: residual)
            result["blocks.\(index).out"] = current
        }
        return result
    }

    /// One convolution with ReLU on an unpadded `[length][channels]` input.
    private func run(_ conv: PackedFloatConv, _ input: [Float], residual: [Float]?) -> [Float] {
        let shape = conv.shape
        let channels = shape.inputChannels
        var padded = [Float](repeating: 0, count: conv.paddedInputLength * channels)
        let rows = Swift.min(shape.inputLength, conv.paddedInputLength - shape.padding)
        for row in 0..<rows {
            for channel in 0..<channels {
                padded[(row + shape.padding) * channels + channel] = input[row * channels + channel]
            }
        }
        return conv.apply(paddedInput: padded, residual: residual, relu: true, isa: .preferred)
    }
}
