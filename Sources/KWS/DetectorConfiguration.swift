/// How a ``KeywordSpotter`` turns a stream of window posteriors into detections.
public struct DetectorConfiguration: Sendable, Equatable {
    /// Time between two evaluated 1 s windows, in ms: a multiple of 10, from 10 to 1000.
    public var hopMilliseconds: Int
    /// Posteriors are averaged over the windows evaluated in the last `smoothingMilliseconds`
    /// (at least one window), which suppresses one-window spikes.
    public var smoothingMilliseconds: Int
    /// Smoothed posterior a keyword must reach to fire, unless `thresholds` names it.
    public var threshold: Float
    /// Per-keyword thresholds that override `threshold`.
    public var thresholds: [String: Float]
    /// After a detection, no new detection starts for this long (ms), so one utterance fires once.
    public var refractoryMilliseconds: Int

    /// The default threshold, chosen on tc-resnet8's validation ROC (Models/README.md): the lowest
    /// threshold with no false alarm on the validation split's _silence_/_unknown_ clips.
    public static let defaultThreshold: Float = 0.7

    public init(hopMilliseconds: Int = 100, smoothingMilliseconds: Int = 300,
                threshold: Float = DetectorConfiguration.defaultThreshold, thresholds: [String: Float] = [:],
                refractoryMilliseconds: Int = 500) {
        self.hopMilliseconds = hopMilliseconds
        self.smoothingMilliseconds = smoothingMilliseconds
        self.threshold = threshold
        self.thresholds = thresholds
        self.refractoryMilliseconds = refractoryMilliseconds
    }

    /// Throws ``KWSError/invalidConfiguration(_:)`` with a message a person can act on.
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
        for (label, value) in thresholds.merging(["(global)": threshold], uniquingKeysWith: { a, _ in a }) {
            guard value > 0, value <= 1 else {
                throw KWSError.invalidConfiguration("threshold \(value) for \(label): use a value in (0, 1]")
            }
            guard label == "(global)" || labels.contains(label) else {
                throw KWSError.invalidConfiguration("threshold for unknown label '\(label)' (labels: \(labels.joined(separator: ", ")))")
            }
        }
    }
}
