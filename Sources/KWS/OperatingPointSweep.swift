import KWSRuntime

/// Recall and false alarms per keyword over a grid of thresholds, from posteriors computed once
/// (``PosteriorTrack``) and the real ``Detector`` replayed at each threshold, every keyword at the same one.
///
/// Its per-keyword rows are the `keywords` of a model file's operating points (Models/FORMAT.md):
/// `kws eval --stream --sweep` measures them.
public struct OperatingPointSweep: Sendable {
    /// The default grid: 0.30, 0.31, …, 0.95, then 0.955, 0.96, …, 0.99 and 0.991, 0.992, …, 0.999, 0.9995:
    /// finer towards 1, where a model trained without label smoothing puts its always-on operating points.
    public static let defaultThresholds: [Float] = (30...95).map { Float($0) / 100 } + (191...198).map { Float($0) / 200 }
        + (991...999).map { Float($0) / 1000 } + [0.9995]

    /// The scored thresholds, increasing.
    public let thresholds: [Float]
    /// The summed score of all recordings at each threshold, in ``thresholds`` order.
    public private(set) var scores: [StreamScore]

    /// Replays each recording's posteriors at every threshold under `configuration`'s hop, smoothing and
    /// refractory period (its own thresholds and budget are ignored), and scores it against its truth.
    /// - Throws: ``KWSError/invalidConfiguration(_:)`` for a configuration the detector refuses.
    public init(recordings: [(track: PosteriorTrack, truth: [KeywordEvent])], configuration: DetectorConfiguration,
                thresholds: [Float] = Self.defaultThresholds) throws {
        self.thresholds = thresholds
        scores = try thresholds.map { threshold in
            var atThreshold = configuration
            atThreshold.threshold = threshold
            atThreshold.thresholds = [:]
            atThreshold.falseAlarmsPerHour = nil
            var total = StreamScore()
            for recording in recordings {
                let detections = try recording.track.detections(configuration: atThreshold)
                total.add(StreamScore(detections: detections, truth: recording.truth,
                                      seconds: Double(recording.track.audioSamples) / Double(KeywordSpotter.sampleRate)))
            }
            return total
        }
    }

    /// Adds the scores of `other`, a sweep of further recordings over the same thresholds: sweeping
    /// recordings one at a time (each on its own thread, its posteriors freed after) and adding the sweeps in
    /// order gives the same scores as sweeping them together.
    public mutating func add(_ other: OperatingPointSweep) {
        precondition(other.thresholds == thresholds, "sweeps over different thresholds")
        for index in scores.indices { scores[index].add(other.scores[index]) }
    }

    /// `keyword`'s row at each threshold.
    public func points(of keyword: String) -> [SweepPoint] {
        zip(thresholds, scores).map { SweepPoint(threshold: $0, recall: $1.recall(of: keyword), falseAlarmsPerHour: $1.falseAlarmsPerHour(of: keyword)) }
    }

    /// All keywords together at each threshold: total recall and total false alarms per hour.
    public var totals: [SweepPoint] {
        zip(thresholds, scores).map { SweepPoint(threshold: $0, recall: $1.recall, falseAlarmsPerHour: $1.falseAlarmsPerHour) }
    }
}
