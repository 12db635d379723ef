/// Audio decoded from a whole WAV file: mono samples plus what the file declared.
public struct DecodedAudio: Sendable {
    /// Mono samples (channels averaged), nominal range [-1, 1].
    public var samples: [Float]
    /// Frames per second of `samples` (the file's rate; no resampling happens here).
    public var sampleRate: Int
    /// The layout as stored in the file.
    public var format: WAVFormat
    /// Problems that did not stop decoding, one line each, e.g. sample data cut short.
    public var warnings: [String]

    /// Creates decoded audio.
    public init(samples: [Float], sampleRate: Int, format: WAVFormat, warnings: [String] = []) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.format = format
        self.warnings = warnings
    }
}
