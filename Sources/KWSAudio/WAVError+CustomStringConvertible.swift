extension WAVError: CustomStringConvertible {
    /// One line: "<file>: <what was wrong> at byte <offset>", then how to fix it where that helps.
    public var description: String {
        "\(file): \(problem) at byte \(offset)" + (remedy.map { "; \($0)" } ?? "")
    }

    private var problem: String {
        switch self {
        case let .unreadableFile(_, _, reason):
            return "cannot read file (\(reason))"
        case .emptyFile:
            return "file is empty"
        case let .notRIFF(_, _, found):
            if found.contains("RIFX") { return "big-endian RIFX WAV is not supported" }
            return "not a WAV file: expected 'RIFF', found \(found)"
        case .unsupportedRF64:
            return "RF64/BW64 (64-bit WAV) is not supported"
        case let .notWAVE(_, _, found):
            return "RIFF file is not WAVE: form type is \(found)"
        case let .truncatedHeader(_, _, inside, fileSize):
            return "input ends after \(fileSize) bytes, inside the \(inside) that starts"
        case .missingFormatChunk:
            return "'data' chunk comes before any 'fmt ' chunk"
        case .missingDataChunk:
            return "no 'data' chunk before the input ends"
        case let .formatChunkTooShort(_, _, size, required):
            return "'fmt ' chunk is \(size) bytes, its format needs at least \(required)"
        case let .unsupportedFormatTag(_, _, tag):
            return "unsupported format tag \(WAVFormatTag.describe(tag))"
        case let .unsupportedSubformat(_, _, guid):
            return "unsupported WAVE_FORMAT_EXTENSIBLE subformat GUID \(guid)"
        case let .unsupportedBitsPerSample(_, _, tag, bits):
            return "\(bits) bits per sample is not supported for format \(WAVFormatTag.describe(tag))"
        case let .invalidValidBitsPerSample(_, _, valid, container):
            return "valid bits per sample \(valid) exceeds the \(container)-bit container"
        case .zeroChannels:
            return "channel count is 0"
        case let .absurdChannelCount(_, _, channels):
            return "channel count \(channels) is above the limit of \(WAVFormat.maximumChannels)"
        case let .invalidSampleRate(_, _, sampleRate):
            if sampleRate == 0 { return "sample rate is 0 Hz" }
            if sampleRate < InputAudio.minimumSampleRate {
                return "sample rate \(sampleRate) Hz is below the minimum of \(InputAudio.minimumSampleRate) Hz"
            }
            return "sample rate \(sampleRate) Hz is above the limit of \(InputAudio.maximumSampleRate) Hz"
        case let .blockAlignMismatch(_, _, declared, expected):
            return "block align is \(declared) bytes but channels × bytes per sample is \(expected)"
        case let .byteRateMismatch(_, _, declared, expected):
            return "byte rate is \(declared) but sample rate × block align is \(expected)"
        }
    }

    private var remedy: String? {
        let convert = "convert it to 16-bit PCM, e.g. `ffmpeg -i IN -c:a pcm_s16le out.wav`"
        switch self {
        case .unreadableFile: return "check the path and permissions"
        case .emptyFile: return "check that it was written completely"
        case .truncatedHeader: return "the file was cut short; re-export or re-copy it"
        case .notRIFF, .notWAVE: return "pass a RIFF/WAVE file, or raw PCM with an explicit PCM format"
        case .unsupportedRF64: return convert
        case .unsupportedFormatTag, .unsupportedSubformat, .unsupportedBitsPerSample: return convert
        case .missingFormatChunk, .missingDataChunk: return "the file is damaged; re-export it"
        case let .invalidSampleRate(_, _, rate) where rate > 0 && rate < InputAudio.minimumSampleRate:
            return "if the header is right, resample the audio to 16000 Hz first"
        case .zeroChannels, .absurdChannelCount, .invalidSampleRate, .blockAlignMismatch, .byteRateMismatch,
             .formatChunkTooShort, .invalidValidBitsPerSample:
            return "the 'fmt ' header is corrupt; re-export the file"
        }
    }
}
