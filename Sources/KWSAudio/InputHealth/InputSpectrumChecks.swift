import Glibc

/// The checks made on the spectrum of the audio as the models hear it (resampled to 16 kHz): a rate
/// declared lower or higher than the audio's real one.
///
/// - Declared too low (48 kHz read as 16 kHz): frames at speech level (≥ −40 dB) have almost no power
///   above 3 kHz: −76 dB for Samples/sequence.wav at 48 or 44.1 kHz read as 16 kHz, against −44 dB at worst
///   for 10 s of Speech Commands clips (every window of the 3,076 clips). Warned below ``highBandLimit``.
/// - Declared too high (8 kHz read as 16 kHz): voices an octave up with formants twice as high. Over the
///   voiced frames of the last 10 s, a median pitch ≥ 280 Hz together with a median spectral centroid
///   ≥ 800 Hz: no 10 s window of the 3,076 clips reaches both; Samples/sequence.wav at 8 kHz read as 16 kHz
///   does within 4.2 s (median 302 Hz and 869 Hz at least).
///
/// Frames are 32 ms, not overlapping; the last 10 s of frame summaries are kept (313 small values).
struct InputSpectrumChecks {
    static let windowFrames = 313
    /// Frames at or above this level (dB re full-scale sine) count as speech-level for the band check.
    static let speechLevel: Float = -40
    /// Speech-level frames needed in the window before the band check decides (0.5 s).
    static let speechFramesNeeded = 16
    /// High-band share of speech-level power (dB) below which the audio is taken as band-limited far
    /// below its declared rate.
    static let highBandLimit = -60.0
    /// The high band starts here (Hz): 48 kHz read as 16 kHz has nothing above 2.7 kHz, 44.1 kHz nothing
    /// above 2.9 kHz.
    static let highBandStart: Float = 3000
    /// Voiced frames needed before the pitch check decides.
    static let voicedFramesNeeded = 12
    static let pitchLimit: Float = 280
    static let centroidLimit: Float = 800
    /// Decisions are taken every this many frames (0.26 s), not every frame.
    static let decisionInterval = 8

    private let inputSampleRate: Int
    private let analyzer: SpectrumFrameAnalyzer
    /// Whether the band check applies: the declared rate must carry a kilohertz above ``highBandStart``
    /// (an 8 kHz stream has nothing above 4 kHz and is right not to).
    private let checksHighBand: Bool
    /// Whether the octave-up check runs (InputHealth's `rateFromHeader` turns it off).
    private let checksPitch: Bool
    private var pending: [Float] = []
    private var frames: [SpectrumFrame] = []
    private var next = 0
    private var framesSeen = 0

    init(inputSampleRate: Int, checksPitch: Bool = true) throws {
        self.inputSampleRate = inputSampleRate
        self.checksPitch = checksPitch
        let top = min(7500, 0.45 * Float(inputSampleRate))
        checksHighBand = top - Self.highBandStart >= 1000
        analyzer = try SpectrumFrameAnalyzer(highBand: Self.highBandStart..<max(Self.highBandStart, top))
        pending.reserveCapacity(SpectrumFrameAnalyzer.length)
        frames.reserveCapacity(Self.windowFrames)
    }

    /// Analyses `samples` (16 kHz) and returns what was decided on the way; `seconds` converts the frame
    /// count to input time for the warnings.
    mutating func observe(_ samples: ArraySlice<Float>) -> [InputWarning] {
        var found: [InputWarning] = []
        var rest = samples
        while !rest.isEmpty {
            let take = min(SpectrumFrameAnalyzer.length - pending.count, rest.count)
            pending.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            guard pending.count == SpectrumFrameAnalyzer.length else { break }
            let frame = analyzer.measure(pending[...])
            pending.removeAll(keepingCapacity: true)
            if frames.count < Self.windowFrames { frames.append(frame) } else { frames[next] = frame }
            next = (next + 1) % Self.windowFrames
            framesSeen += 1
            if framesSeen % Self.decisionInterval == 0 { found += decide() }
        }
        return found
    }

    /// Forgets the stream (keeping the FFT plans).
    mutating func reset() {
        pending.removeAll(keepingCapacity: true)
        frames.removeAll(keepingCapacity: true)
        next = 0
        framesSeen = 0
    }

    private var seconds: Double { Double(framesSeen * SpectrumFrameAnalyzer.length) / Double(SpectrumFrameAnalyzer.sampleRate) }

    private func decide() -> [InputWarning] {
        var found: [InputWarning] = []
        var speechFrames = 0
        var power: Double = 0
        var highPower: Double = 0
        var pitches: [Float] = []
        var centroids: [Float] = []
        for frame in frames {
            if frame.level >= Self.speechLevel {
                speechFrames += 1
                power += frame.power
                highPower += frame.highBandPower
            }
            if let pitch = frame.pitch {
                pitches.append(pitch)
                centroids.append(frame.centroid)
            }
        }
        let span = WarningNumber.fixed(Double(frames.count * SpectrumFrameAnalyzer.length) / Double(SpectrumFrameAnalyzer.sampleRate), 1)
        if checksHighBand, speechFrames >= Self.speechFramesNeeded, power > 0 {
            let share = 10 * log10(highPower / power + 1e-30)
            if share < Self.highBandLimit {
                found.append(InputWarning(kind: .rateTooLow, message: "\(speechFrames) frames of speech-level audio in the last \(span) s "
                    + "have almost nothing above \(Int(Self.highBandStart)) Hz (\(WarningNumber.fixed(share, 0)) dB; speech at the "
                    + "right rate has more than -45 dB there): audio at a higher rate than the declared \(inputSampleRate) Hz, e.g. "
                    + "48000 Hz read as 16000 Hz", seconds: seconds))
            }
        }
        if checksPitch, pitches.count >= Self.voicedFramesNeeded {
            let pitch = Self.median(pitches)
            let centroid = Self.median(centroids)
            if pitch >= Self.pitchLimit, centroid >= Self.centroidLimit {
                found.append(InputWarning(kind: .rateTooHigh, message: "voices in the last \(span) s are pitched an octave up with "
                    + "formants twice as high (median pitch \(Int(pitch.rounded())) Hz and spectral centroid \(Int(centroid.rounded())) Hz "
                    + "over \(pitches.count) voiced frames; speech is below \(Int(Self.pitchLimit)) and \(Int(Self.centroidLimit)) Hz): "
                    + "audio at half the declared \(inputSampleRate) Hz, e.g. 8000 Hz read as 16000 Hz", seconds: seconds))
            }
        }
        return found
    }

    private static func median(_ values: [Float]) -> Float {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
