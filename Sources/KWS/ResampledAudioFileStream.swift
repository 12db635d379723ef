import FoundationEssentials
import KWSAudio

/// A WAV file read a chunk at a time (``AudioFileStream``) and resampled to ``KeywordSpotter/sampleRate`` by a
/// streaming `Resampler`: the samples, in order, of `AudioFile(contentsOf:).samples`, with memory for one
/// chunk whatever the file's length.
///
/// The resampler is made at the first samples, not at the header, so a file without samples is "no audio"
/// (``sawSamples`` false) whatever rate it declares, as for ``AudioFile``.
public struct ResampledAudioFileStream {
    private var reader: AudioFileStream
    private var resampler: Resampler?
    private var finished = false

    /// Opens the file at `url` (``AudioFileStream/init(contentsOf:chunkBytes:)``).
    public init(contentsOf url: URL) throws {
        reader = try AudioFileStream(contentsOf: url)
    }

    /// The file, as its errors name it.
    public var path: String { reader.path }
    /// The decoder's warnings, known at the end of the file.
    public var warnings: [String] { reader.warnings }
    /// Whether the file has given any sample so far.
    public var sawSamples: Bool { resampler != nil }

    /// The next 16 kHz samples (possibly empty), or nil once the file and the resampler's tail are done.
    /// - Throws: the file's ``WAVError``; `ResamplerError` for a rate the resampler does not take.
    public mutating func next() throws -> [Float]? {
        guard !finished else { return nil }
        guard let samples = try reader.next() else {
            finished = true
            return resampler?.flush()
        }
        guard !samples.isEmpty, let rate = reader.sampleRate else { return [] }
        let stream = try resampler ?? Resampler(inputRate: rate, outputRate: KeywordSpotter.sampleRate)
        resampler = stream
        return stream.process(samples)
    }
}
