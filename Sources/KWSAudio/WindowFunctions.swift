#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The analysis and filter-design windows of the front end, computed in `Double`.
enum WindowFunctions {
    /// Periodic Hann of `length` samples: w[n] = 0.5 − 0.5·cos(2πn/length).
    ///
    /// Periodic (denominator `length`, not `length − 1`) as in `tf.signal.hann_window` and
    /// TensorFlow's `AudioSpectrogram` (SPEC.md §2.1).
    static func periodicHann(length: Int) -> [Double] {
        (0..<max(length, 0)).map { n in 0.5 - 0.5 * cos(2 * Double.pi * Double(n) / Double(length)) }
    }

    /// The Kaiser window at position `x` ∈ [−1, 1] (0 outside): I₀(β·√(1 − x²)) / I₀(β).
    static func kaiser(_ x: Double, beta: Double) -> Double {
        guard abs(x) <= 1 else { return 0 }
        return besselI0(beta * (1 - x * x).squareRoot()) / besselI0(beta)
    }

    /// Kaiser's β for a stopband attenuation of `decibels` (Kaiser 1974, for A > 50 dB).
    static func kaiserBeta(attenuation decibels: Double) -> Double {
        0.1102 * (decibels - 8.7)
    }

    /// The modified Bessel function of the first kind, order 0, by its power series
    /// Σ ((x/2)^k / k!)²; converges for every x, and β ≤ 20 needs fewer than 60 terms.
    static func besselI0(_ x: Double) -> Double {
        let halfSquared = (x / 2) * (x / 2)
        var sum = 1.0
        var term = 1.0
        var k = 1.0
        while term > sum * 1e-17 {
            term *= halfSquared / (k * k)
            sum += term
            k += 1
        }
        return sum
    }
}
