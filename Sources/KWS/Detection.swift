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

    public init(label: String, score: Float, startSample: Int, endSample: Int) {
        self.label = label
        self.score = score
        self.startSample = startSample
        self.endSample = endSample
    }

    /// Start of the detection window in seconds from stream start.
    public var start: Double { Double(startSample) / Double(KeywordSpotter.sampleRate) }
    /// End of the detection window in seconds from stream start.
    public var end: Double { Double(endSample) / Double(KeywordSpotter.sampleRate) }
}
