import FoundationEssentials
import KWSAudio

/// A whole audio file decoded and resampled to the 16 kHz mono the models run at.
public struct AudioFile: Sendable {
    /// Mono samples at ``KeywordSpotter/sampleRate``.
    public let samples: [Float]
    /// The file's own sample rate before resampling.
    public let originalSampleRate: Int
    /// Non-fatal problems found while decoding (e.g. truncated sample data).
    public let warnings: [String]

    /// Duration in seconds.
    public var duration: Double { Double(samples.count) / Double(KeywordSpotter.sampleRate) }

    /// Decodes a WAV file and resamples it to 16 kHz.
    /// - Throws: ``WAVError`` for a file kws cannot decode; ``KWSError/noAudio(_:)`` for one without samples.
    public init(contentsOf url: URL) throws {
        let decoded = try WAVDecoder.decode(contentsOf: url)
        guard !decoded.samples.isEmpty else { throw KWSError.noAudio(url.isFileURL ? url.relativePath : url.absoluteString) }
        originalSampleRate = decoded.sampleRate
        warnings = decoded.warnings
        samples = decoded.sampleRate == KeywordSpotter.sampleRate
            ? decoded.samples
            : try Resampler.resample(decoded.samples, from: decoded.sampleRate, to: KeywordSpotter.sampleRate)
    }
}
