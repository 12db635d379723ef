/// Listens to a stream's audio for signs that it is not what it was declared to be, incrementally and in
/// fixed memory (a few kilobytes, whatever the stream's length).
///
/// ```swift
/// let health = try InputHealth(inputSampleRate: 16000)
/// for chunk in chunks {                 // mono samples at the declared rate
///     for warning in health.observe(chunk) { print("warning:", warning) }
/// }
/// ```
///
/// It reports, once each per stream (``InputWarning/Kind``): audio at a higher or lower rate than declared
/// (48 or 8 kHz read as 16 kHz), interleaved channels read as mono, floats read as integers and the
/// reverse, long digital silence, clipping and DC offset. Each needs at most a few seconds of audio (the
/// misread rates about 4 s of speech, the sample checks 0.5–5 s; measured in the tests on misread copies of
/// Samples/sequence.wav), and none is raised by Samples/ or by the Speech Commands test split. Once the
/// samples are known to be misread (a format or channel warning), the level and spectrum checks, which
/// would only describe the misread bytes, stay quiet.
///
/// The octave-up check reads a voice's pitch and brightness, which a high voice (a child, some synthetic
/// voices) also has: Training/cache/bench/negative.wav, real 16 kHz, reaches a median of 291 Hz and 1056 Hz
/// over 10 s of one synthetic voice. So it runs only where the rate is the caller's claim (raw samples);
/// audio whose rate a file header states (`rateFromHeader`) is taken at its word on that one question.
///
/// ``KeywordSpotter`` runs one on everything it is fed (`spotter.inputWarnings`); the C API reports them
/// through `kws_input_warnings`.
public final class InputHealth {
    /// The declared rate of the samples passed to ``observe(input:)``.
    public let inputSampleRate: Int
    /// What was found so far in this stream, oldest first; at most one per kind.
    public private(set) var warnings: [InputWarning] = []

    private var samples: InputSampleChecks
    private var spectrum: InputSpectrumChecks

    /// - Parameters:
    ///   - inputSampleRate: the rate the audio is declared to have, in Hz.
    ///   - rateFromHeader: true when a file header (a WAV `fmt ` chunk) declares the rate rather than the
    ///     caller: the octave-up check (``InputWarning/Kind/rateTooHigh``), which a high voice can also
    ///     pass, is then skipped; every other check runs.
    /// - Throws: ``KWSAudio/FFTError`` if the spectrum analysis cannot be set up.
    public init(inputSampleRate: Int, rateFromHeader: Bool = false) throws {
        self.inputSampleRate = inputSampleRate
        samples = InputSampleChecks(sampleRate: inputSampleRate)
        spectrum = try InputSpectrumChecks(inputSampleRate: inputSampleRate, checksPitch: !rateFromHeader)
    }

    /// Analyses mono samples at the declared rate, as decoded (before NaN and infinities are silenced), for
    /// the sample checks. Pair it with ``observe(resampled:)`` on the same audio at 16 kHz, or use
    /// ``observe(_:)`` when the declared rate is 16 kHz.
    /// - Returns: the warnings raised by these samples (already added to ``warnings``).
    @discardableResult
    public func observe(input samples: ArraySlice<Float>) -> [InputWarning] {
        record(self.samples.observe(samples))
    }

    /// Analyses the same audio resampled to 16 kHz, for the spectrum checks.
    /// - Returns: the warnings raised by these samples (already added to ``warnings``).
    @discardableResult
    public func observe(resampled samples: ArraySlice<Float>) -> [InputWarning] {
        record(spectrum.observe(samples))
    }

    /// Both checks on 16 kHz audio (the declared rate must be 16000 Hz; at other rates feed
    /// ``observe(input:)`` and ``observe(resampled:)`` yourself).
    /// - Returns: the warnings raised by these samples (already added to ``warnings``).
    @discardableResult
    public func observe(_ samples: [Float]) -> [InputWarning] {
        precondition(inputSampleRate == 16000, "InputHealth.observe(_:) takes 16 kHz audio; use observe(input:) and observe(resampled:)")
        return observe(input: samples[...]) + observe(resampled: samples[...])
    }

    /// Forgets the stream: the next sample starts a new one, and every kind may be reported again.
    public func reset() {
        samples = InputSampleChecks(sampleRate: inputSampleRate)
        spectrum.reset()
        warnings = []
    }

    private func record(_ found: [InputWarning]) -> [InputWarning] {
        var added: [InputWarning] = []
        for warning in found where !warnings.contains(where: { $0.kind == warning.kind }) {
            if warnings.contains(where: { $0.kind.explains(warning.kind) }) { continue }
            warnings.append(warning)
            added.append(warning)
        }
        return added
    }
}
