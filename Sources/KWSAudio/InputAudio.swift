/// The rules every audio input path shares (WAV files, WAV and raw PCM streams, the Swift and C APIs),
/// kept in one place so a file, a stream and an API call hear the same thing.
public enum InputAudio {
    /// The lowest input sample rate kws accepts, in Hz.
    ///
    /// Below it the 16 kHz models hear nothing useful (4 kHz already cuts speech at 2 kHz), and a lying
    /// header could ask the resampler for up to 16 000 output samples per input sample: a 16 KB file
    /// declaring 1 Hz took 1 GB.
    public static let minimumSampleRate = 4000
    /// The highest input sample rate kws accepts, in Hz (real converters top out at 768 kHz; more is
    /// taken as a corrupt header).
    public static let maximumSampleRate = 1_000_000
    /// ``minimumSampleRate`` ... ``maximumSampleRate``.
    public static var supportedSampleRates: ClosedRange<Int> { minimumSampleRate...maximumSampleRate }

    /// Input samples handed to the resampler and front end at a time, so the audio kws holds per call
    /// stays bounded (≤ 4× this at 16 kHz) however large a chunk a caller feeds.
    public static let samplesPerStep = 16384

    /// A sample value as kws hears it: NaN and ±infinity count as 0 (silence), so one bad value can
    /// neither poison the resampler's and front end's history nor turn every feature into NaN.
    /// Applied to each channel's value before channels are mixed, on every path.
    @inline(__always)
    public static func heard(_ value: Float) -> Float { value.isFinite ? value : 0 }

    /// Applies ``heard(_:)`` to every sample; returns how many were replaced.
    @discardableResult
    public static func silenceNonFinite(_ samples: inout [Float]) -> Int {
        var replaced = 0
        for i in samples.indices where !samples[i].isFinite {
            samples[i] = 0
            replaced += 1
        }
        return replaced
    }
}
