/// Why a front-end configuration cannot be reproduced by kws.
public struct FrontEndConfigError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

extension FrontEndConfig {
    /// The largest FFT a front end may ask for (at 16 kHz, a 256 ms window: far beyond any speech front end),
    /// so a corrupt header cannot make loading a model slow.
    public static let maximumFFTLength = 8192
    /// The windows a network may classify: half a second to the 1.5 s that `kws detect` still treats as one clip.
    public static let clipSamplesRange = 8000...24000

    /// Throws unless kws's MFCC implementation can compute exactly these features.
    public func validate() throws {
        func fail(_ why: String) -> FrontEndConfigError { FrontEndConfigError(description: "front end: \(why)") }
        guard sampleRate == 16000 else { throw fail("sample_rate \(sampleRate) Hz is not supported (kws resamples all audio to 16000 Hz)") }
        guard windowLength > 0, hopLength > 0 else { throw fail("window_length and hop_length must be positive") }
        guard fftLength >= windowLength, fftLength & (fftLength - 1) == 0, fftLength <= Self.maximumFFTLength else {
            throw fail("fft_length \(fftLength) must be a power of two ≥ window_length \(windowLength) and ≤ \(Self.maximumFFTLength)")
        }
        // More mel bins than FFT bins describes no filterbank worth computing, and the filterbank costs
        // mel_bins × FFT bins to build: 100000 bins took 5.6 s to load.
        guard melBins > 0, melBins <= fftLength / 2 + 1, coefficients > 0, coefficients <= melBins else {
            throw fail("need 0 < coefficients (\(coefficients)) ≤ mel_bins (\(melBins)) ≤ fft_length / 2 + 1 (\(fftLength / 2 + 1))")
        }
        guard lowerHz >= 0, lowerHz < upperHz, upperHz <= Double(sampleRate) / 2 else {
            throw fail("mel range \(lowerHz)–\(upperHz) Hz must satisfy 0 ≤ lower < upper ≤ \(sampleRate / 2)")
        }
        guard Self.clipSamplesRange.contains(clipSamples), clipSamples >= windowLength else {
            throw fail("clip_samples \(clipSamples) must lie in \(Self.clipSamplesRange.lowerBound)...\(Self.clipSamplesRange.upperBound) (0.5–1.5 s) and hold one window_length")
        }
        guard logOffset >= 0, logOffset.isFinite else { throw fail("log_offset must be finite and ≥ 0") }
    }
}
