/// Every evaluated window's posteriors of one stream, in the order a ``KeywordSpotter`` computed them
/// (``KeywordSpotter/recordsPosteriors``), so the detector can be replayed at other thresholds without
/// running the model again (``detections(configuration:operatingPoints:)``).
///
/// Small enough to keep for hours of audio: one value per label per hop (12 floats per 100 ms).
public struct PosteriorTrack: Sendable {
    /// The model's labels, in posterior order.
    public let labels: [String]
    /// The hop between windows, in ms.
    public let hopMilliseconds: Int
    /// 16 kHz samples per window (the model's ``TCResNetModel/windowSamples``).
    public let windowSamples: Int
    /// First 16 kHz sample of each window, in order.
    public private(set) var windowStarts: [Int] = []
    /// 16 kHz samples of real audio in the stream (without the silence ``KeywordSpotter/finish()`` pads with).
    public internal(set) var audioSamples = 0
    private var values: [Float] = []

    /// An empty track for a model with `labels` and `windowSamples`-sample windows, evaluated every `hopMilliseconds`.
    public init(labels: [String], hopMilliseconds: Int, windowSamples: Int = KeywordSpotter.sampleRate) {
        self.labels = labels
        self.hopMilliseconds = hopMilliseconds
        self.windowSamples = windowSamples
    }

    /// Windows recorded.
    public var count: Int { windowStarts.count }

    /// Hours of real audio.
    public var hours: Double { Double(audioSamples) / Double(KeywordSpotter.sampleRate) / 3600 }

    /// The posteriors of window `index`, one per label.
    public func posteriors(at index: Int) -> ArraySlice<Float> {
        values[index * labels.count ..< (index + 1) * labels.count]
    }

    mutating func append(windowStart: Int, posteriors: [Float]) {
        windowStarts.append(windowStart)
        values += posteriors
    }
}
