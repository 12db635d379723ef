/// Why a front-end configuration cannot be reproduced by kws.
public struct FrontEndConfigError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

extension FrontEndConfig {
    /// Throws unless kws's MFCC implementation can compute exactly these features.
    public func validate() throws {
        func fail(_ why: String) -> FrontEndConfigError { FrontEndConfigError(description: "front end: \(why)") }
        guard sampleRate == 16000 else { throw fail("sample_rate \(sampleRate) Hz is not supported (kws resamples all audio to 16000 Hz)") }
        guard windowLength > 0, hopLength > 0 else { throw fail("window_length and hop_length must be positive") }
        guard fftLength >= windowLength, fftLength & (fftLength - 1) == 0 else {
            throw fail("fft_length \(fftLength) must be a power of two ≥ window_length \(windowLength)")
        }
        guard melBins > 0, coefficients > 0, coefficients <= melBins else {
            throw fail("need 0 < coefficients (\(coefficients)) ≤ mel_bins (\(melBins))")
        }
        guard lowerHz >= 0, lowerHz < upperHz, upperHz <= Double(sampleRate) / 2 else {
            throw fail("mel range \(lowerHz)–\(upperHz) Hz must satisfy 0 ≤ lower < upper ≤ \(sampleRate / 2)")
        }
        guard logOffset >= 0, logOffset.isFinite else { throw fail("log_offset must be finite and ≥ 0") }
    }
}
