/// Observes the float network on calibration windows for the outlier-aware scheme: the MFCC input range per
/// coefficient (int8's percentile estimator, since the stem keeps int8's u8 input) and, per post-ReLU
/// activation tensor, the threshold T above which values are outliers.
///
/// T is the mean over batches of each batch's (1 − r) quantile of the tensor's values, zeros included, so
/// about a fraction r of a tensor's elements exceed it; at r = 0 it is the mean of the batch maxima.
public struct OutlierCalibration {
    /// The float model being observed.
    public let model: TCResNetModel
    /// The outlier ratio r.
    public let ratio: Double
    /// Batches observed so far.
    public private(set) var batches = 0

    private var inputRanges: [RangeAccumulator]
    private var thresholdSums: [String: Double] = [:]
    private let forward: CalibrationForward

    /// The estimator of the input ranges.
    public static let inputEstimator = RangeEstimator.percentile

    /// A calibration with nothing observed yet; `ratio` must be in [0, 0.5).
    public init(model: TCResNetModel, ratio: Double) {
        precondition(ratio.isFinite && ratio >= 0 && ratio < 0.5, "OutlierCalibration: ratio must be in [0, 0.5)")
        self.model = model
        self.ratio = ratio
        inputRanges = Array(repeating: RangeAccumulator(estimator: Self.inputEstimator), count: model.inputCoefficients)
        forward = CalibrationForward(model: model)
        for name in CalibrationForward.activationNames(of: model) { thresholdSums[name] = 0 }
    }

    /// Runs the float network on every window of one batch (`inputFrames × inputCoefficients` values each,
    /// time-major; windows of another size are skipped) and folds the batch in.
    public mutating func observe(batch: [[Float]]) {
        guard let observed = forward.observe(batch: batch) else { return }
        for (coefficient, column) in observed.inputColumns.enumerated() { inputRanges[coefficient].observe(column) }
        let collected = observed.activations
        for (name, values) in collected {
            let sorted = values.filter(\.isFinite).sorted()
            guard !sorted.isEmpty else { continue }
            thresholdSums[name, default: 0] += Double(RangeAccumulator.quantile(sorted, 1 - ratio))
        }
        batches += 1
    }

    /// Per coefficient `(lower, upper)`, with `lower ≤ 0 ≤ upper`.
    public var inputRange: [(lower: Double, upper: Double)] { inputRanges.map { ($0.lower, $0.upper) } }

    /// Threshold T of each activation tensor by name (≥ 0; 0 for a tensor that never fired).
    public var activationThresholds: [String: Double] {
        thresholdSums.mapValues { batches > 0 ? Swift.max(0, $0 / Double(batches)) : 0 }
    }
}
