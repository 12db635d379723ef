/// One row of a keyword's operating-point table: what the detector does at one threshold.
public struct OperatingPoint: Sendable, Equatable {
    /// Smoothed posterior the keyword must reach, in (0, 1].
    public var threshold: Float
    /// Fraction of the keyword's spoken events detected at this threshold, in 0…1.
    public var recall: Double
    /// The keyword's own false alarms per hour of negative audio at this threshold (≥ 0); the detector's
    /// total is the sum over keywords.
    public var falseAlarmsPerHour: Double

    /// A row; ``OperatingPoints/validate(labels:file:)`` checks the ranges.
    public init(threshold: Float, recall: Double, falseAlarmsPerHour: Double) {
        self.threshold = threshold
        self.recall = recall
        self.falseAlarmsPerHour = falseAlarmsPerHour
    }
}
