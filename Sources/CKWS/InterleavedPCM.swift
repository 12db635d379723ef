import CKWSHeader
import KWSAudio

/// Checks the audio arguments of `kws_feed_*`/`kws_classify_*` and averages interleaved frames to mono.
///
/// The conversion is the one `SampleEncoding.monoSamples` applies to WAV and raw PCM (s16 / 32768; a
/// frame's channels summed in channel order, × 0.5 for two, ÷ count above), so feeding a file's samples
/// through the C API hears exactly what `kws stream` hears.
enum InterleavedPCM {
    /// Throws `KWS_ERROR_INVALID_ARGUMENT` for a rate or channel count outside the documented ranges.
    static func validate(sampleRate: Int32, channels: Int32) throws {
        guard sampleRate >= KWS_MIN_SAMPLE_RATE, sampleRate <= KWS_MAX_SAMPLE_RATE else {
            throw CAPIError.invalidArgument("sample rate \(sampleRate) Hz: use \(KWS_MIN_SAMPLE_RATE)…\(KWS_MAX_SAMPLE_RATE) Hz")
        }
        guard channels >= 1, channels <= KWS_MAX_CHANNELS else {
            throw CAPIError.invalidArgument("\(channels) channels: use 1…\(KWS_MAX_CHANNELS)")
        }
    }

    /// The number of interleaved values in `frames` frames, throwing if a C caller's `size_t` does not fit.
    static func valueCount(frames: Int, channels: Int32) throws -> Int {
        // size_t arrives as Int: counts above Int.max wrap negative.
        let (total, overflow) = frames.multipliedReportingOverflow(by: Int(channels))
        guard frames >= 0, !overflow, total <= Int.max / MemoryLayout<Float>.stride else {
            throw CAPIError.invalidArgument("\(UInt(bitPattern: frames)) frames of \(channels) channels is more audio than memory can hold")
        }
        return total
    }

    /// Replaces `output` with the mono mix of `frames` frames (keeping its capacity across calls).
    static func downmix(_ source: UnsafePointer<Int16>, frames: Int, channels: Int, into output: inout [Float]) {
        mix(source, frames: frames, channels: channels, into: &output) { Float($0) * (1 / 32768) }
    }

    /// Float samples; NaN and infinities count as 0, the rule of every input path (`InputAudio.heard`).
    static func downmix(_ source: UnsafePointer<Float>, frames: Int, channels: Int, into output: inout [Float]) {
        mix(source, frames: frames, channels: channels, into: &output) { InputAudio.heard($0) }
    }

    @inline(__always)
    private static func mix<Sample>(_ source: UnsafePointer<Sample>, frames: Int, channels: Int, into output: inout [Float],
                                    _ load: (Sample) -> Float) {
        output.removeAll(keepingCapacity: true)
        output.reserveCapacity(frames)
        switch channels {
        case 1:
            for i in 0..<frames { output.append(load(source[i])) }
        case 2:
            // Halving is exact, so this equals the sum divided by two.
            // Two huge finite floats can sum to infinity: the mix obeys the rule each value does.
            for i in 0..<frames { output.append(InputAudio.heard((load(source[2 * i]) + load(source[2 * i + 1])) * 0.5)) }
        default:
            let divisor = Float(channels)
            for i in 0..<frames {
                let frame = source + i * channels
                var sum = load(frame[0])
                for c in 1..<channels { sum += load(frame[c]) }
                output.append(InputAudio.heard(sum / divisor))
            }
        }
    }
}
