/// Why a WAV file or stream could not be decoded. Every case names the file and the byte offset
/// of the structure or field that was wrong, so a person can find it with a hex dump.
public enum WAVError: Error, Equatable {
    /// The file could not be read at all (missing, a directory, no permission).
    case unreadableFile(file: String, offset: Int, reason: String)
    /// The file holds no bytes.
    case emptyFile(file: String, offset: Int)
    /// The first four bytes are not `RIFF` (`found` is what was there, e.g. `RIFX` for big-endian WAV).
    case notRIFF(file: String, offset: Int, found: String)
    /// The file is RF64/BW64 (64-bit sizes), which kws does not read.
    case unsupportedRF64(file: String, offset: Int)
    /// A RIFF file whose form type is not `WAVE` (e.g. `AVI `).
    case notWAVE(file: String, offset: Int, found: String)
    /// The input ends inside a header structure (`inside` names it, e.g. "chunk header", "'fmt ' chunk").
    case truncatedHeader(file: String, offset: Int, inside: String, fileSize: Int)
    /// A `data` chunk came before any `fmt ` chunk, so its samples cannot be interpreted.
    case missingFormatChunk(file: String, offset: Int)
    /// The chunks ended without a `data` chunk (`offset` is where the input ended).
    case missingDataChunk(file: String, offset: Int)
    /// The `fmt ` chunk is smaller than its format tag requires.
    case formatChunkTooShort(file: String, offset: Int, size: Int, required: Int)
    /// A compressed or unknown format tag (A-law, µ-law, ADPCM, MP3, ...); `tag` is `wFormatTag`
    /// or, for `WAVE_FORMAT_EXTENSIBLE`, the tag embedded in the subformat GUID.
    case unsupportedFormatTag(file: String, offset: Int, tag: Int)
    /// A `WAVE_FORMAT_EXTENSIBLE` subformat GUID that is not a standard format-tag GUID.
    case unsupportedSubformat(file: String, offset: Int, guid: String)
    /// `wBitsPerSample` is not one kws decodes for this tag (PCM: 1–32; float: 32 or 64).
    case unsupportedBitsPerSample(file: String, offset: Int, tag: Int, bits: Int)
    /// `wValidBitsPerSample` of an extensible header exceeds the container size.
    case invalidValidBitsPerSample(file: String, offset: Int, valid: Int, container: Int)
    /// `nChannels` is 0.
    case zeroChannels(file: String, offset: Int)
    /// `nChannels` is above ``WAVFormat/maximumChannels``.
    case absurdChannelCount(file: String, offset: Int, channels: Int)
    /// `nSamplesPerSec` is outside ``InputAudio/supportedSampleRates``.
    case invalidSampleRate(file: String, offset: Int, sampleRate: Int)
    /// `nBlockAlign` differs from channels × bytes per sample.
    case blockAlignMismatch(file: String, offset: Int, declared: Int, expected: Int)
    /// `nAvgBytesPerSec` differs from sample rate × block align.
    case byteRateMismatch(file: String, offset: Int, declared: Int, expected: Int)

    /// The file name the error is about.
    public var file: String {
        switch self {
        case let .unreadableFile(file, _, _), let .emptyFile(file, _), let .notRIFF(file, _, _),
             let .unsupportedRF64(file, _), let .notWAVE(file, _, _), let .truncatedHeader(file, _, _, _),
             let .missingFormatChunk(file, _), let .missingDataChunk(file, _),
             let .formatChunkTooShort(file, _, _, _), let .unsupportedFormatTag(file, _, _),
             let .unsupportedSubformat(file, _, _), let .unsupportedBitsPerSample(file, _, _, _),
             let .invalidValidBitsPerSample(file, _, _, _), let .zeroChannels(file, _),
             let .absurdChannelCount(file, _, _), let .invalidSampleRate(file, _, _),
             let .blockAlignMismatch(file, _, _, _), let .byteRateMismatch(file, _, _, _):
            return file
        }
    }

    /// The byte offset in the file of the structure or field that was wrong.
    public var offset: Int {
        switch self {
        case let .unreadableFile(_, offset, _), let .emptyFile(_, offset), let .notRIFF(_, offset, _),
             let .unsupportedRF64(_, offset), let .notWAVE(_, offset, _), let .truncatedHeader(_, offset, _, _),
             let .missingFormatChunk(_, offset), let .missingDataChunk(_, offset),
             let .formatChunkTooShort(_, offset, _, _), let .unsupportedFormatTag(_, offset, _),
             let .unsupportedSubformat(_, offset, _), let .unsupportedBitsPerSample(_, offset, _, _),
             let .invalidValidBitsPerSample(_, offset, _, _), let .zeroChannels(_, offset),
             let .absurdChannelCount(_, offset, _), let .invalidSampleRate(_, offset, _),
             let .blockAlignMismatch(_, offset, _, _), let .byteRateMismatch(_, offset, _, _):
            return offset
        }
    }
}
