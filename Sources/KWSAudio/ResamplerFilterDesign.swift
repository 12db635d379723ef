#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The low-pass filter of a sample-rate conversion: a Kaiser-windowed sinc, designed as a
/// continuous kernel h(τ) over input-sample time τ so that any output instant can be evaluated.
///
/// Band edges are fractions of the lower of the two Nyquist frequencies f_N: the passband ends
/// at 0.875·f_N (7 kHz for 16 kHz output), the stopband starts at f_N (8 kHz), where everything
/// that would alias or image is attenuated by `stopbandAttenuation`. The −6 dB cutoff sits
/// midway, at 0.9375·f_N.
struct ResamplerFilterDesign: Equatable {
    /// Stopband attenuation in dB (also sets passband ripple: 10^(−80/20) = 1e-4, i.e. 0.001 dB).
    static let stopbandAttenuation = 80.0
    /// Passband edge as a fraction of the lower Nyquist frequency.
    static let passbandFraction = 0.875
    /// Longest half-width allowed, in input samples, so extreme ratios (a 1 MHz input to 1 Hz)
    /// cannot ask for gigabytes of coefficients: beyond it the transition band widens instead.
    static let maximumHalfWidth = 32768

    /// −6 dB cutoff in cycles per input sample.
    let cutoff: Double
    /// Kaiser window shape parameter β.
    let beta: Double
    /// Half-width K of the kernel in input samples: h(τ) = 0 for |τ| ≥ K.
    let halfWidth: Int

    init(inputRate: Int, outputRate: Int) {
        let nyquist = Double(min(inputRate, outputRate)) / 2
        let transition = (1 - Self.passbandFraction) * nyquist / Double(inputRate)  // cycles per input sample
        cutoff = (1 + Self.passbandFraction) / 2 * nyquist / Double(inputRate)
        beta = WindowFunctions.kaiserBeta(attenuation: Self.stopbandAttenuation)
        // Kaiser's estimate of the window length for this attenuation and transition width.
        let length = (Self.stopbandAttenuation - 7.95) / (2.285 * 2 * Double.pi * transition)
        halfWidth = min(Self.maximumHalfWidth, Int((length / 2).rounded(.up)) + 1)
    }

    /// h(τ) = 2f_c·sinc(2f_c·τ)·kaiser(τ/K): unit gain at DC for any sampling phase, zero phase,
    /// so output sample n lands exactly on input time n·inputRate/outputRate.
    func impulse(at tau: Double) -> Double {
        let window = WindowFunctions.kaiser(tau / Double(halfWidth), beta: beta)
        guard window > 0 else { return 0 }
        let x = 2 * cutoff * tau
        let sinc = x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
        return 2 * cutoff * sinc * window
    }
}
