/// The sample layout a WAV file declares in its `fmt ` chunk, after validation.
public struct WAVFormat: Equatable, Sendable {
    /// How each sample is stored (for `WAVE_FORMAT_EXTENSIBLE`, the container, not the valid bits).
    public var encoding: SampleEncoding
    /// Interleaved channels per frame, 1 ... ``maximumChannels``.
    public var channels: Int
    /// Frames per second, within ``InputAudio/supportedSampleRates`` once validated.
    public var sampleRate: Int
    /// Bytes per frame: always `channels * encoding.bytesPerSample` once validated.
    public var blockAlign: Int

    /// Creates a format; `blockAlign` defaults to the packed frame size.
    public init(encoding: SampleEncoding, channels: Int, sampleRate: Int, blockAlign: Int? = nil) {
        self.encoding = encoding
        self.channels = channels
        self.sampleRate = sampleRate
        self.blockAlign = blockAlign ?? channels * encoding.bytesPerSample
    }

    /// More channels than this is taken as a corrupt header rather than real audio
    /// (the largest real layouts, e.g. 22.2 or ambisonics of order 7, stay well below it).
    public static let maximumChannels = 1024
    /// Higher rates are refused: ``InputAudio/maximumSampleRate``.
    public static var maximumSampleRate: Int { InputAudio.maximumSampleRate }
}
