/// How a calibration turns observed activations into the float range that u8 covers.
public enum RangeEstimator: String, CaseIterable, Sendable, CustomStringConvertible {
    /// The largest (and, for the signed input, smallest) value seen in any batch: nothing clips, but one
    /// outlier can waste most of the 256 steps.
    case minmax
    /// Per batch the 99.99th percentile (and 0.01th for the signed input), averaged over batches: clips the
    /// rarest 0.01% for finer steps everywhere else.
    case percentile

    /// The percentile the ``percentile`` estimator uses, in percent.
    public static let percentileLevel = 99.99

    public var description: String { rawValue }
}

/// Running range of one tensor (or one input coefficient) over calibration batches.
struct RangeAccumulator {
    let estimator: RangeEstimator
    private(set) var lower = 0.0
    private(set) var upper = 0.0
    private var batches = 0
    private var lowerSum = 0.0
    private var upperSum = 0.0

    init(estimator: RangeEstimator) {
        self.estimator = estimator
    }

    /// Folds in one batch's values (NaN and infinities are ignored).
    mutating func observe(_ values: [Float]) {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return }
        switch estimator {
        case .minmax:
            lower = Swift.min(lower, Double(finite.min() ?? 0))
            upper = Swift.max(upper, Double(finite.max() ?? 0))
        case .percentile:
            let sorted = finite.sorted()
            let fraction = RangeEstimator.percentileLevel / 100
            lowerSum += Double(Self.quantile(sorted, 1 - fraction))
            upperSum += Double(Self.quantile(sorted, fraction))
            batches += 1
            lower = Swift.min(0, lowerSum / Double(batches))
            upper = Swift.max(0, upperSum / Double(batches))
        }
    }

    /// Linear interpolation between order statistics, as numpy's default `percentile`.
    static func quantile(_ sorted: [Float], _ fraction: Double) -> Float {
        let position = fraction * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = Swift.min(below + 1, sorted.count - 1)
        let weight = Float(position - Double(below))
        return sorted[below] + (sorted[above] - sorted[below]) * weight
    }
}
