import FoundationEssentials
import Glibc
import KWSAudio

/// The window of a clip that kws classifies: the clip's central second at 16 kHz (or the model's window,
/// ``TCResNetModel/windowSamples``, when that is not one second), padded with silence at the end when the clip
/// is shorter.
///
/// This is the single place that framing is decided: ``KeywordSpotter/classify(clip:sampleRate:)``,
/// `kws eval`, calibration and the activation statistics all take a clip's window from here.
///
/// Read from a file, the window needs memory for one chunk and the second, whatever the clip's length: a
/// first pass counts the samples (so the centre is known), a second resamples the file only up to the end
/// of the window and keeps just the window. Its samples, warnings and errors are, bit for bit, those of
/// ``AudioFile`` followed by ``centralWindow(of:length:)``.
public struct ClipWindow: Sendable {
    /// `length` samples: the clip's central `length` samples, zero padded at the end.
    public let samples: [Float]
    /// The file's own sample rate before resampling.
    public let originalSampleRate: Int
    /// The whole clip's length in samples at ``KeywordSpotter/sampleRate``.
    public let clipSampleCount: Int
    /// Non-fatal problems found while decoding (e.g. truncated sample data), as ``AudioFile`` reports them.
    public let warnings: [String]

    /// The whole clip's duration in seconds.
    public var clipDuration: Double { Double(clipSampleCount) / Double(KeywordSpotter.sampleRate) }

    /// Reads the window of a WAV file, resampled to 16 kHz.
    /// - Parameter length: the window in samples at 16 kHz (one second unless the model's window is longer).
    ///
    /// A pipe or other file that cannot be read twice is decoded whole instead (memory then grows with its
    /// length, as for ``AudioFile``).
    /// - Throws: ``WAVError`` for a file kws cannot decode; ``KWSError/noAudio(_:)`` for one without samples;
    ///   `ResamplerError` for a rate the resampler does not take: the errors of ``AudioFile/init(contentsOf:)``.
    public init(contentsOf url: URL, length: Int = KeywordSpotter.sampleRate) throws {
        guard Self.isRegularFile(url.path) else {
            let audio = try AudioFile(contentsOf: url)
            self.init(samples: Self.centralWindow(of: audio.samples, length: length), originalSampleRate: audio.originalSampleRate,
                      clipSampleCount: audio.samples.count, warnings: audio.warnings)
            return
        }
        // Pass 1 decodes without resampling: the resampled length follows from the input length.
        var counting = try AudioFileStream(contentsOf: url)
        var inputCount = 0
        while let chunk = try counting.next() { inputCount += chunk.count }
        guard let rate = counting.sampleRate, inputCount > 0 else { throw KWSError.noAudio(counting.path) }
        let clipCount = Resampler.outputCount(forInputCount: inputCount, from: rate, to: KeywordSpotter.sampleRate)
        let window = Self.range(inClipOf: clipCount, length: length)

        // Pass 2 stops at the window's end: every output there is final once emitted (the resampler waits for
        // its look-ahead), and pass 1 has already read the warnings at the end of the file.
        var reading = try ResampledAudioFileStream(contentsOf: url)
        var second = [Float](repeating: 0, count: length)
        var produced = 0
        func keep(_ output: [Float]) {
            let first = max(window.lowerBound, produced), end = min(window.upperBound, produced + output.count)
            if first < end {
                second.replaceSubrange(first - window.lowerBound ..< end - window.lowerBound,
                                       with: output[first - produced ..< end - produced])
            }
            produced += output.count
        }
        while produced < window.upperBound, let output = try reading.next() { keep(output) }
        self.init(samples: second, originalSampleRate: rate, clipSampleCount: clipCount, warnings: counting.warnings)
    }

    private init(samples: [Float], originalSampleRate: Int, clipSampleCount: Int, warnings: [String]) {
        self.samples = samples
        self.originalSampleRate = originalSampleRate
        self.clipSampleCount = clipSampleCount
        self.warnings = warnings
    }

    /// The samples of a clip `count` samples long (at 16 kHz) that a `length`-sample window holds: the central
    /// `length` samples, or the whole clip when it is shorter (the window's first `count` samples; silence follows).
    public static func range(inClipOf count: Int, length: Int = KeywordSpotter.sampleRate) -> Range<Int> {
        let offset = max(0, (count - length) / 2)
        return offset ..< offset + min(length, count)
    }

    /// The `length`-sample window of a clip held in memory at 16 kHz.
    public static func centralWindow(of samples: [Float], length: Int = KeywordSpotter.sampleRate) -> [Float] {
        var window = [Float](repeating: 0, count: length)
        let range = range(inClipOf: samples.count, length: length)
        window.replaceSubrange(0 ..< range.count, with: samples[range])
        return window
    }

    /// Whether `path` is a regular file, one that can be read a second time from the start.
    private static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }
}
