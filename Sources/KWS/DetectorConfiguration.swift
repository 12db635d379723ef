import KWSRuntime

/// How a ``KeywordSpotter`` turns a stream of window posteriors into detections.
///
/// Each keyword's threshold comes from the first of these that applies (``keywordThresholds(labels:operatingPoints:)``
/// is the one place that decides): its entry in ``thresholds``; ``threshold``; a budget of
/// ``falseAlarmsPerHour`` looked up in the model's operating points; the model's own default budget
/// (`default_false_alarms_per_hour` of its operating points); ``defaultThreshold``.
public struct DetectorConfiguration: Sendable, Equatable {
    /// Time between two evaluated 1 s windows, in ms: a multiple of 10, from 10 to 1000.
    public var hopMilliseconds: Int
    /// Posteriors are averaged over the windows evaluated in the last `smoothingMilliseconds`
    /// (at least one window), which suppresses one-window spikes.
    public var smoothingMilliseconds: Int
    /// Smoothed posterior every keyword must reach to fire, unless `thresholds` names it; nil (the default)
    /// leaves the choice to ``falseAlarmsPerHour`` or the model.
    public var threshold: Float?
    /// Per-keyword thresholds that override everything else.
    public var thresholds: [String: Float]
    /// A budget of false alarms per hour for all keywords together, turned into per-keyword thresholds by the
    /// model's operating points (``OperatingPoints/points(forFalseAlarmsPerHour:)``); nil: not set. The model
    /// must have operating points, and the budget must lie inside what they describe.
    public var falseAlarmsPerHour: Double?
    /// After a detection, no new detection starts for this long (ms), so one utterance fires once.
    public var refractoryMilliseconds: Int

    /// The threshold of a keyword that nothing else sets, chosen on tc-resnet8's validation ROC
    /// (Models/README.md): the lowest threshold with no false alarm on the validation split's
    /// _silence_/_unknown_ clips.
    public static let defaultThreshold: Float = 0.7

    /// The defaults are the command line's: 100 ms hop, 300 ms smoothing, 500 ms refractory period, and no
    /// threshold or budget of its own (the model's default operating point, else ``defaultThreshold``).
    public init(hopMilliseconds: Int = 100, smoothingMilliseconds: Int = 300, threshold: Float? = nil,
                thresholds: [String: Float] = [:], falseAlarmsPerHour: Double? = nil, refractoryMilliseconds: Int = 500) {
        self.hopMilliseconds = hopMilliseconds
        self.smoothingMilliseconds = smoothingMilliseconds
        self.threshold = threshold
        self.thresholds = thresholds
        self.falseAlarmsPerHour = falseAlarmsPerHour
        self.refractoryMilliseconds = refractoryMilliseconds
    }

    /// The hop in samples at `sampleRate`: the one conversion of ``hopMilliseconds`` (the detector counts
    /// samples, the spotter feature frames). Meaningful once ``validate(labels:)`` has passed.
    func hopSamples(sampleRate: Int) -> Int { hopMilliseconds * sampleRate / 1000 }

    /// Throws ``KWSError/invalidConfiguration(_:)`` with a message a person can act on. Checks the values
    /// alone; whether a budget fits the model is ``keywordThresholds(labels:operatingPoints:)``'s question.
    public func validate(labels: [String]) throws {
        guard hopMilliseconds >= 10, hopMilliseconds <= 1000, hopMilliseconds % 10 == 0 else {
            throw KWSError.invalidConfiguration("hop \(hopMilliseconds) ms: use a multiple of 10 ms from 10 to 1000")
        }
        guard smoothingMilliseconds >= 0, smoothingMilliseconds <= 5000 else {
            throw KWSError.invalidConfiguration("smoothing \(smoothingMilliseconds) ms: use 0…5000 ms")
        }
        guard refractoryMilliseconds >= 0, refractoryMilliseconds <= 60_000 else {
            throw KWSError.invalidConfiguration("refractory period \(refractoryMilliseconds) ms: use 0…60000 ms")
        }
        var explicit = thresholds
        if let threshold { explicit["(global)"] = threshold }
        for (label, value) in explicit.sorted(by: { $0.key < $1.key }) {
            guard value > 0, value <= 1 else {
                throw KWSError.invalidConfiguration("threshold \(value) for \(label): use a value in (0, 1]")
            }
            guard label == "(global)" || labels.contains(label) else {
                throw KWSError.invalidConfiguration("threshold for unknown label '\(label)' (labels: \(labels.joined(separator: ", ")))")
            }
        }
        if let falseAlarmsPerHour, !(falseAlarmsPerHour.isFinite && falseAlarmsPerHour > 0) {
            throw KWSError.invalidConfiguration("\(OperatingPointBudgetError.notPositive(falseAlarmsPerHour))")
        }
    }
}
