import KWSRuntime

/// Turns the posteriors of successive windows into one ``Detection`` per spoken keyword.
///
/// Per window: average the last `smoothing` posteriors; a keyword whose smoothed score reaches its
/// threshold opens a candidate. The candidate's run extends, backwards and forwards, over the adjacent
/// windows where the keyword keeps at least half its threshold (hysteresis: a noisy score that dips
/// below the threshold mid-word neither splits the word nor shifts its time), and it is decided (emitted)
/// when the score falls below that, another keyword takes over, one second has passed, or the stream
/// ends. Its window is the middle of the run, shifted back by the smoothing delay, so timestamps point at
/// the word rather than at the moment the average caught up. After a detection, nothing fires for the
/// refractory period; after one decided because a second had passed, the keyword cannot fire again until
/// its score has fallen below half its threshold, so a word held long is one event, reported within a second.
struct Detector {
    private let labels: [String]
    private let keywordIndices: [Int]
    private let thresholds: [Float]
    /// The threshold of each keyword, by label (``DetectorConfiguration/keywordThresholds(labels:operatingPoints:)``).
    let keywordThresholds: [String: Float]
    private let hopSamples: Int
    private let windowSamples: Int
    private let smoothingCount: Int
    private let refractorySamples: Int
    private let maxOpenWindows: Int

    /// The last `smoothingCount` windows' posteriors.
    private var history: RecentRows
    private var smoothed: [Float]
    /// Recent smoothed posteriors with their centred window starts, for extending a run backwards.
    private var recent: RecentRows
    private var candidate: Candidate?
    private var quietUntil = Int.min
    /// The keyword of a run decided early (after a second) that is still going on.
    private var sustained: Int?

    private struct Candidate {
        let label: Int
        var bestScore: Float
        var firstStart: Int
        var lastStart: Int
        var windows: Int
        var windowsAbove: Int
    }

    /// - Parameter operatingPoints: the model's table, for a configuration that names a false-alarm budget
    ///   or leaves the threshold to the model (``DetectorConfiguration/keywordThresholds(labels:operatingPoints:)``).
    init(labels: [String], configuration: DetectorConfiguration, operatingPoints: OperatingPoints? = nil,
         sampleRate: Int, windowSamples: Int) throws {
        let chosen = try configuration.keywordThresholds(labels: labels, operatingPoints: operatingPoints)
        let keywords = labels.indices.filter { !labels[$0].hasPrefix("_") }
        guard !keywords.isEmpty else { throw KWSError.unusableLabels("no keyword among \(labels)") }
        self.labels = labels
        keywordIndices = keywords
        thresholds = labels.map { chosen[$0] ?? .infinity }
        keywordThresholds = chosen
        hopSamples = configuration.hopSamples(sampleRate: sampleRate)
        self.windowSamples = windowSamples
        smoothingCount = max(1, configuration.smoothingMilliseconds / configuration.hopMilliseconds)
        refractorySamples = configuration.refractoryMilliseconds * sampleRate / 1000
        maxOpenWindows = max(1, 1000 / configuration.hopMilliseconds)
        smoothed = [Float](repeating: 0, count: labels.count)
        history = RecentRows(capacity: smoothingCount, width: labels.count)
        recent = RecentRows(capacity: maxOpenWindows + 1, width: labels.count)
    }

    /// Feeds the posteriors of the window starting at `windowStart` (samples); returns a decided detection, if any.
    mutating func observe(posteriors: [Float], windowStart: Int) -> Detection? {
        history.push(posteriors)
        for i in smoothed.indices {
            // Oldest first, the order the sum has always had (a float sum's bits depend on it).
            var sum: Float = 0
            for age in stride(from: history.count - 1, through: 0, by: -1) { sum += history.value(age: age, i) }
            smoothed[i] = sum / Float(history.count)
        }
        // The smoothed score describes the windows of the last `history.count` hops: centre on them.
        let centredStart = windowStart - (history.count - 1) * hopSamples / 2

        recent.push(smoothed, start: centredStart)

        var best = -1
        for k in keywordIndices where smoothed[k] >= thresholds[k] && (best < 0 || smoothed[k] > smoothed[best]) { best = k }

        if let held = sustained {
            if smoothed[held] >= thresholds[held] / 2 && (best < 0 || best == held) {
                // Still the same word: keep the quiet period running from its latest window.
                quietUntil = max(quietUntil, centredStart + hopSamples + refractorySamples)
                return nil
            }
            sustained = nil
        }

        var decided: Detection?
        if var open = candidate {
            let holds = smoothed[open.label] >= thresholds[open.label] / 2
            if holds && (best < 0 || best == open.label) {
                open.bestScore = max(open.bestScore, smoothed[open.label])
                open.lastStart = centredStart
                open.windows += 1
                if smoothed[open.label] >= thresholds[open.label] { open.windowsAbove += 1 }
                candidate = open
                guard open.windows >= maxOpenWindows else { return nil }
                sustained = open.label
                return decide()
            }
            decided = decide()
        }
        if best >= 0, windowStart >= quietUntil {
            candidate = Candidate(label: best, bestScore: smoothed[best], firstStart: runStart(of: best), lastStart: centredStart,
                                  windows: 1, windowsAbove: 1)
        }
        return decided
    }

    /// The earliest recent window of the run that ends now, where `label` kept half its threshold.
    private func runStart(of label: Int) -> Int {
        var first = recent.start(age: 0)
        for age in 1..<recent.count {
            guard recent.value(age: age, label) >= thresholds[label] / 2, recent.start(age: age) >= quietUntil else { break }
            first = recent.start(age: age)
        }
        return first
    }

    /// Decides the open candidate at end of stream.
    mutating func finish() -> Detection? {
        candidate == nil ? nil : decide()
    }

    mutating func reset() {
        history.removeAll()
        recent.removeAll()
        candidate = nil
        sustained = nil
        quietUntil = .min
    }

    private mutating func decide() -> Detection? {
        guard let open = candidate else { return nil }
        candidate = nil
        let start = max(0, (open.firstStart + open.lastStart) / 2)
        quietUntil = open.lastStart + hopSamples + refractorySamples
        return Detection(label: labels[open.label], score: open.bestScore, startSample: start, endSample: start + windowSamples,
                         threshold: thresholds[open.label], windowsAbove: open.windowsAbove)
    }
}
