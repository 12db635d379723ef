/// One keyword heard in a stream.
///
/// Times are measured from the first sample fed to the ``KeywordSpotter``, on the 16 kHz time base the
/// model runs at, so they are exact whatever the input rate: `start = startSample / 16000`.
public struct Detection: Sendable, Equatable, Codable {
    /// The keyword (one of the model's labels; never `_silence_` or `_unknown_`).
    public let label: String
    /// Peak smoothed posterior of `label` while it was above threshold, in 0…1.
    public let score: Float
    /// First 16 kHz sample of the 1 s window that best covers the keyword.
    public let startSample: Int
    /// One past the last sample of that window.
    public let endSample: Int
    /// The threshold `label` had to reach: why it fired (``KeywordSpotter/thresholds``).
    public let threshold: Float
    /// How many evaluated windows of the event had a smoothed score of at least ``threshold`` (≥ 1): one
    /// is a brief peak, several a sustained word.
    public let windowsAbove: Int

    /// - Parameters:
    ///   - threshold: the threshold that was reached (0 when unknown, e.g. for a hand-made detection).
    ///   - windowsAbove: evaluated windows at or above it (0 when unknown).
    public init(label: String, score: Float, startSample: Int, endSample: Int, threshold: Float = 0, windowsAbove: Int = 0) {
        self.label = label
        self.score = score
        self.startSample = startSample
        self.endSample = endSample
        self.threshold = threshold
        self.windowsAbove = windowsAbove
    }

    /// Start of the detection window in seconds from stream start.
    public var start: Double { Double(startSample) / Double(KeywordSpotter.sampleRate) }
    /// End of the detection window in seconds from stream start.
    public var end: Double { Double(endSample) / Double(KeywordSpotter.sampleRate) }

    /// This detection with its window moved back to end at `streamEnd` (16 kHz samples) when the silence a
    /// finished stream is padded with pushed it past the audio, so timestamps stay inside the stream
    /// where the stream is at least one window long.
    func fitted(toStreamEnd streamEnd: Int) -> Detection {
        guard endSample > streamEnd, streamEnd >= KeywordSpotter.sampleRate else { return self }
        let shift = endSample - streamEnd
        return Detection(label: label, score: score, startSample: startSample - shift, endSample: streamEnd,
                         threshold: threshold, windowsAbove: windowsAbove)
    }
}
