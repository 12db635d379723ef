/// Turns the posteriors of successive windows into one ``Detection`` per spoken keyword.
///
/// Per window: average the last `smoothing` posteriors; a keyword whose smoothed score reaches its
/// threshold opens a candidate; the candidate is decided (emitted) when the score falls back below the
/// threshold, another keyword takes over, one second has passed, or the stream ends. Its window is the
/// middle of the above-threshold run, shifted back by the smoothing delay, so timestamps point at the word
/// rather than at the moment the average caught up. After a detection, nothing fires for the refractory period.
struct Detector {
    private let labels: [String]
    private let keywordIndices: [Int]
    private let thresholds: [Float]
    private let hopSamples: Int
    private let windowSamples: Int
    private let smoothingCount: Int
    private let refractorySamples: Int
    private let maxOpenWindows: Int

    private var history: [[Float]] = []
    private var smoothed: [Float]
    private var candidate: Candidate?
    private var quietUntil = Int.min

    private struct Candidate {
        let label: Int
        var bestScore: Float
        var firstStart: Int
        var lastStart: Int
        var windows: Int
    }

    init(labels: [String], configuration: DetectorConfiguration, sampleRate: Int, windowSamples: Int) throws {
        try configuration.validate(labels: labels)
        let keywords = labels.indices.filter { !labels[$0].hasPrefix("_") }
        guard !keywords.isEmpty else { throw KWSError.unusableLabels("no keyword among \(labels)") }
        self.labels = labels
        keywordIndices = keywords
        thresholds = labels.map { configuration.thresholds[$0] ?? configuration.threshold }
        hopSamples = configuration.hopMilliseconds * sampleRate / 1000
        self.windowSamples = windowSamples
        smoothingCount = max(1, configuration.smoothingMilliseconds / configuration.hopMilliseconds)
        refractorySamples = configuration.refractoryMilliseconds * sampleRate / 1000
        maxOpenWindows = max(1, 1000 / configuration.hopMilliseconds)
        smoothed = [Float](repeating: 0, count: labels.count)
    }

    /// Feeds the posteriors of the window starting at `windowStart` (samples); returns a decided detection, if any.
    mutating func observe(posteriors: [Float], windowStart: Int) -> Detection? {
        history.append(posteriors)
        if history.count > smoothingCount { history.removeFirst() }
        for i in smoothed.indices {
            var sum: Float = 0
            for row in history { sum += row[i] }
            smoothed[i] = sum / Float(history.count)
        }
        // The smoothed score describes the windows of the last `history.count` hops: centre on them.
        let centredStart = windowStart - (history.count - 1) * hopSamples / 2

        var best = -1
        for k in keywordIndices where smoothed[k] >= thresholds[k] && (best < 0 || smoothed[k] > smoothed[best]) { best = k }

        var decided: Detection?
        if var open = candidate {
            if best == open.label {
                open.bestScore = max(open.bestScore, smoothed[best])
                open.lastStart = centredStart
                open.windows += 1
                candidate = open
                if open.windows >= maxOpenWindows { decided = decide() }
                return decided
            }
            decided = decide()
        }
        if best >= 0, windowStart >= quietUntil {
            candidate = Candidate(label: best, bestScore: smoothed[best], firstStart: centredStart, lastStart: centredStart, windows: 1)
        }
        return decided
    }

    /// Decides the open candidate at end of stream.
    mutating func finish() -> Detection? {
        candidate == nil ? nil : decide()
    }

    mutating func reset() {
        history.removeAll()
        candidate = nil
        quietUntil = .min
    }

    private mutating func decide() -> Detection? {
        guard let open = candidate else { return nil }
        candidate = nil
        let start = max(0, (open.firstStart + open.lastStart) / 2)
        quietUntil = open.lastStart + hopSamples + refractorySamples
        return Detection(label: labels[open.label], score: open.bestScore, startSample: start, endSample: start + windowSamples)
    }
}
