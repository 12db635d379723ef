/// Raw interleaved little-endian PCM for streams; any channel count; sample rate is the caller's business.
///
/// Decoding chunks of any sizes yields exactly the samples of decoding their concatenation.
public struct PCMDecoder {
    private var assembler: PCMFrameAssembler

    /// The sample format being decoded.
    public let format: PCMFormat
    /// Channels per interleaved frame.
    public var channels: Int { assembler.channels }

    /// Creates a decoder for `channels` interleaved channels of `format`.
    /// - Throws: ``PCMError/invalidChannelCount(_:)`` unless 1 ≤ channels ≤ ``WAVFormat/maximumChannels``.
    public init(format: PCMFormat, channels: Int) throws {
        guard channels >= 1, channels <= WAVFormat.maximumChannels else {
            throw PCMError.invalidChannelCount(channels)
        }
        self.format = format
        assembler = PCMFrameAssembler(encoding: format.encoding, channels: channels)
    }

    /// Mono samples (channels averaged) for every frame completed by `bytes`. A trailing partial
    /// frame is held back and completed by the next call, never dropped or reordered.
    public mutating func decode(_ bytes: [UInt8]) -> [Float] {
        assembler.decode(bytes[...])
    }

    /// Bytes of an incomplete frame held back; non-zero at end of input means the stream was cut
    /// mid-frame, which callers should report as a warning.
    public var pendingByteCount: Int { assembler.pending.count }
}
