/// A model's measured detection-error trade-off per keyword: the `operating_points` metadata of
/// Models/FORMAT.md, validated against the model's labels when the file loads.
///
/// Each keyword has rows of (threshold, recall, false alarms per hour) measured with the streaming
/// detector at the hop, smoothing and refractory period recorded here, so a user can ask for a false-alarm
/// budget instead of a bare threshold (``thresholds(forFalseAlarmsPerHour:)``).
public struct OperatingPoints: Sendable, Equatable {
    /// The `__metadata__` key that holds the table as a JSON string.
    public static let metadataKey = "operating_points"
    /// The table layout this build reads.
    public static let supportedVersion = 1

    /// Detector hop the rows were measured with, in ms.
    public var hopMilliseconds: Int
    /// Detector smoothing the rows were measured with, in ms.
    public var smoothingMilliseconds: Int
    /// Detector refractory period the rows were measured with, in ms.
    public var refractoryMilliseconds: Int
    /// Hours of audio the false alarms were counted on.
    public var negativeHours: Double
    /// Spoken keyword events the recall was measured on (all keywords together).
    public var positiveEvents: Int
    /// What the negative and positive audio were, in words (free text; may be empty).
    public var source: String
    /// The total false-alarm budget a detector uses when its user sets neither a threshold nor a budget;
    /// nil: such a detector uses the fixed default threshold.
    public var defaultFalseAlarmsPerHour: Double?
    /// Rows per keyword, by strictly increasing threshold. Every keyword label of the model has a list.
    public var keywords: [String: [OperatingPoint]]

    /// A table from its parts, unchecked (``validate(labels:file:)`` checks it against a model's labels).
    public init(hopMilliseconds: Int, smoothingMilliseconds: Int, refractoryMilliseconds: Int, negativeHours: Double,
                positiveEvents: Int, source: String = "", defaultFalseAlarmsPerHour: Double? = nil,
                keywords: [String: [OperatingPoint]]) {
        self.hopMilliseconds = hopMilliseconds
        self.smoothingMilliseconds = smoothingMilliseconds
        self.refractoryMilliseconds = refractoryMilliseconds
        self.negativeHours = negativeHours
        self.positiveEvents = positiveEvents
        self.source = source
        self.defaultFalseAlarmsPerHour = defaultFalseAlarmsPerHour
        self.keywords = keywords
    }
}
