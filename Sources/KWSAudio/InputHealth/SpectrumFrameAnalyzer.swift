import Glibc

/// Measures one frame of 16 kHz audio for ``InputSpectrumChecks``: level, high-band power, spectral
/// centroid and, for frames loud enough to be voiced speech, the pitch.
///
/// The pitch is YIN's (de Cheveigné and Kawahara 2002): the cumulative-mean-normalised difference function
/// of the frame, its first dip below 0.2 between lags of 800 and 70 Hz, followed to its bottom. The
/// autocorrelation comes from the power spectrum already computed, by a second real FFT (the power spectrum
/// is real and even, so its forward transform is the circular autocorrelation), divided by the window's own
/// autocorrelation. Two 512-point FFTs per 32 ms frame: about 60 µs per second of audio.
final class SpectrumFrameAnalyzer {
    /// Samples per frame (32 ms at 16 kHz).
    static let length = 512
    static let sampleRate: Float = 16000
    /// Lags searched for a period: 800 Hz down to 70 Hz.
    static let lags = 20..<229
    /// YIN's absolute threshold on the normalised difference.
    static let voicingThreshold: Float = 0.2
    /// Frames quieter than this are not searched for a pitch (dB re full-scale sine).
    static let voicedLevel: Float = -45

    private let spectrum: FFTRealForward
    private let autocorrelation: FFTRealForward
    private let window: [Float]
    /// The window's autocorrelation Σ w[n]·w[n+τ], which a windowed frame's autocorrelation is divided by.
    private let windowCorrelation: [Float]
    private let highBand: Range<Int>
    private var power: [Float]
    private var difference: [Float]
    /// A full-scale sine's Hann-windowed power Σ|X_k|² over k = 0…N/2: N² · 0.375 / 4.
    private let fullScale: Double

    /// - Parameter highBand: the band, in Hz, whose power ``SpectrumFrame/highBandPower`` sums.
    init(highBand: Range<Float>) throws {
        let n = Self.length
        spectrum = try FFTRealForward(length: n)
        autocorrelation = try FFTRealForward(length: n)
        // numpy.hanning: the symmetric Hann window the thresholds were measured with.
        let window = (0..<n).map { 0.5 - 0.5 * Float(cos(2 * Double.pi * Double($0) / Double(n - 1))) }
        self.window = window
        windowCorrelation = (0..<Self.lags.upperBound).map { lag in
            var sum: Float = 0
            for i in 0..<(n - lag) { sum += window[i] * window[i + lag] }
            return sum
        }
        let binHz = Self.sampleRate / Float(n)
        let first = Int((highBand.lowerBound / binHz).rounded(.up))
        let last = Int((highBand.upperBound / binHz).rounded(.up))
        self.highBand = max(0, first)..<min(n / 2 + 1, max(first, last))
        power = [Float](repeating: 0, count: n / 2 + 1)
        difference = [Float](repeating: 0, count: Self.lags.upperBound)
        fullScale = Double(n) * Double(n) / 4 * 0.375
    }

    /// Measures `frame` (``length`` samples at 16 kHz).
    func measure(_ frame: ArraySlice<Float>) -> SpectrumFrame {
        let n = Self.length
        spectrum.withInput { input in
            var i = 0
            for x in frame { input[i] = InputAudio.heard(x) * window[i]; i += 1 }
        }
        spectrum.execute()
        var total: Double = 0
        var weighted: Double = 0
        var high: Double = 0
        let binHz = Double(Self.sampleRate) / Double(n)
        spectrum.withSpectrum { bins in
            for k in 0...(n / 2) {
                let p = bins[2 * k] * bins[2 * k] + bins[2 * k + 1] * bins[2 * k + 1]
                power[k] = p
                total += Double(p)
                weighted += Double(p) * Double(k) * binHz
                if highBand.contains(k) { high += Double(p) }
            }
        }
        let level = Float(10 * log10(total / fullScale + 1e-30))
        let centroid = total > 0 ? Float(weighted / total) : 0
        let pitch = level > Self.voicedLevel && total > 0 ? yinPitch() : nil
        return SpectrumFrame(level: level, power: total, highBandPower: high, centroid: centroid, pitch: pitch)
    }

    private func yinPitch() -> Float? {
        let n = Self.length
        autocorrelation.withInput { input in
            for k in 0...(n / 2) { input[k] = power[k] }
            for k in 1..<(n / 2) { input[n - k] = power[k] }
        }
        autocorrelation.execute()
        let lags = Self.lags
        autocorrelation.withSpectrum { bins in
            let r0 = bins[0] / windowCorrelation[0]
            difference[0] = 0
            for lag in 1..<lags.upperBound { difference[lag] = 2 * (r0 - bins[2 * lag] / windowCorrelation[lag]) }
        }
        var cumulative: Float = 0
        var candidate: (lag: Int, value: Float)?
        for lag in 1..<lags.upperBound {
            cumulative += difference[lag]
            let normalised = difference[lag] / (cumulative / Float(lag) + 1e-30)
            guard lags.contains(lag) else { continue }
            if let found = candidate {
                // Follow the dip to its bottom, then stop.
                if normalised < found.value { candidate = (lag, normalised) } else { break }
            } else if normalised < Self.voicingThreshold {
                candidate = (lag, normalised)
            }
        }
        return candidate.map { Self.sampleRate / Float($0.lag) }
    }
}
