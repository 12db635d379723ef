/// One threshold of an ``OperatingPointSweep``.
public struct SweepPoint: Sendable, Equatable {
    /// The threshold every keyword had.
    public let threshold: Float
    /// Fraction of spoken events found; nil when none was spoken.
    public let recall: Double?
    /// False alarms per hour of all the audio.
    public let falseAlarmsPerHour: Double

    /// A row of a sweep.
    public init(threshold: Float, recall: Double?, falseAlarmsPerHour: Double) {
        self.threshold = threshold
        self.recall = recall
        self.falseAlarmsPerHour = falseAlarmsPerHour
    }
}
