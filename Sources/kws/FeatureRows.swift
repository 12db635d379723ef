import FoundationEssentials
import Glibc
import KWS
import KWSAudio
import KWSCore

/// The MFCC rows of a WAV file, computed as the file is read: decoded and resampled to 16 kHz a chunk at a
/// time (``ResampledAudioFileStream``) and framed by a streaming `FeatureExtractor`, so a file of any length
/// needs memory for one chunk.
///
/// The rows are, bit for bit, `FeatureExtractor.features(of: AudioFile(contentsOf: url).samples)`, and the
/// errors are ``AudioFile``'s, in its order: the WAV's own, then ``KWSError/noAudio(_:)``, then the
/// resampler's.
enum FeatureRows {
    /// Calls `body` with each row (`config.coefficients` values) in order.
    /// - Returns: the number of rows and the decoder's warnings (known only at the end of the file).
    static func read(_ url: URL, config: FrontEndConfig,
                     _ body: (ArraySlice<Float>) throws -> Void) throws -> (rows: Int, warnings: [String]) {
        var stream = try ResampledAudioFileStream(contentsOf: url)
        let extractor = try FeatureExtractor(config: config)
        var rows = [Float]()
        func frame(_ samples: [Float]) throws {
            rows.removeAll(keepingCapacity: true)
            extractor.append(samples) { _, row in rows += row }
            for start in stride(from: 0, to: rows.count, by: config.coefficients) {
                try body(rows[start ..< start + config.coefficients])
            }
        }
        while let samples = try stream.next() { try frame(samples) }
        guard stream.sawSamples else { throw KWSError.noAudio(stream.path) }
        return (extractor.framesProduced, stream.warnings)
    }
}
