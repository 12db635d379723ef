import Foundation
import KWSAudio

/// Samples/sequence.wav (29.9 s, ten keywords) turned into the raw streams a user gets wrong, for the input
/// health tests: each is the bytes a source would send, and the decoder settings `kws stream` would read it
/// with by default (s16le mono 16 kHz unless said otherwise), so the audio the spotter hears is misread.
public enum MisreadAudio: String, CaseIterable, Sendable {
    /// The recording resampled to 48 kHz, read as 16 kHz: three times slower, nothing above 2.7 kHz.
    case rate48kAs16k
    /// Resampled to 8 kHz, read as 16 kHz: twice as fast, an octave up.
    case rate8kAs16k
    /// Two identical channels interleaved, read as mono.
    case stereoAsMono
    /// 32-bit float samples read as 16-bit integers.
    case floatAsS16
    /// 32-bit float samples read as 32-bit integers (`--format s32le`).
    case floatAsS32
    /// 16-bit integer samples read as 32-bit floats (`--format f32le`).
    case s16AsFloat

    /// The recording, mono at 16 kHz.
    public static func sequence() throws -> [Float] {
        try WAVDecoder.decode(contentsOf: TestPaths.file("Samples/sequence.wav")).samples
    }

    /// The bytes the source sends.
    public func bytes() throws -> [UInt8] {
        let audio = try Self.sequence()
        switch self {
        case .rate48kAs16k: return Self.s16(try Resampler.resample(audio, from: 16000, to: 48000))
        case .rate8kAs16k: return Self.s16(try Resampler.resample(audio, from: 16000, to: 8000))
        case .stereoAsMono: return Self.s16(audio.flatMap { [$0, $0] })
        case .floatAsS16, .floatAsS32: return audio.flatMap { sample in (0..<4).map { UInt8((sample.bitPattern >> (8 * $0)) & 0xFF) } }
        case .s16AsFloat: return Self.s16(audio)
        }
    }

    /// The format the bytes are (wrongly) read as: what `kws stream --format` gets.
    public var readAs: PCMFormat {
        switch self {
        case .floatAsS32: return .s32le
        case .s16AsFloat: return .f32le
        default: return .s16le
        }
    }

    /// The warning this stream must raise.
    public var expected: InputWarning.Kind {
        switch self {
        case .rate48kAs16k: return .rateTooLow
        case .rate8kAs16k: return .rateTooHigh
        case .stereoAsMono: return .interleavedChannels
        case .floatAsS16, .floatAsS32: return .floatAsInteger
        case .s16AsFloat: return .integerAsFloat
        }
    }

    /// The samples the misreading decoder gives (mono, read as 16 kHz).
    public func misreadSamples() throws -> [Float] {
        var decoder = try PCMDecoder(format: readAs, channels: 1)
        return decoder.decode(try bytes())
    }

    /// Little-endian 16-bit PCM of `samples` (clamped to ±1).
    public static func s16(_ samples: [Float]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(samples.count * 2)
        for sample in samples {
            let value = UInt16(bitPattern: Int16(max(-32768, min(32767, (sample * 32768).rounded()))))
            bytes += [UInt8(value & 0xFF), UInt8(value >> 8)]
        }
        return bytes
    }
}
