/// Interleaved float frames averaged to mono, by the rule every input path shares (WAV and raw PCM through
/// ``SampleEncoding/monoSamples(fromInterleaved:channels:)``, the C API's `kws_feed_f32`): each value is
/// heard (``InputAudio/heard(_:)``: NaN and infinities are 0), a frame's channels are summed in channel
/// order and divided by the count (× 0.5 for two, which is exact), and a mix that overflows is heard as 0.
public enum InterleavedMix {
    /// The mono mix of `interleaved`, whose count must be a multiple of `channels` (≥ 1).
    public static func mono(_ interleaved: ArraySlice<Float>, channels: Int) -> [Float] {
        precondition(channels >= 1 && interleaved.count % channels == 0,
                     "InterleavedMix.mono: \(interleaved.count) values are not whole frames of \(channels) channels")
        let frames = interleaved.count / channels
        var output = [Float]()
        output.reserveCapacity(frames)
        var index = interleaved.startIndex
        switch channels {
        case 1:
            for x in interleaved { output.append(InputAudio.heard(x)) }
        case 2:
            for _ in 0..<frames {
                output.append(InputAudio.heard((InputAudio.heard(interleaved[index]) + InputAudio.heard(interleaved[index + 1])) * 0.5))
                index += 2
            }
        default:
            let divisor = Float(channels)
            for _ in 0..<frames {
                var sum = InputAudio.heard(interleaved[index])
                for c in 1..<channels { sum += InputAudio.heard(interleaved[index + c]) }
                output.append(InputAudio.heard(sum / divisor))
                index += channels
            }
        }
        return output
    }
}
