#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The DCT-II that turns log-mel energies into cepstral coefficients, as a precomputed matrix.
///
/// Both variants compute y_k = s·Σ_n v_n·cos(πk(2n + 1)/(2N)) for k < D over N log-mel values:
/// `tf.signal.mfccs_from_log_mel_spectrograms` as the unnormalised DCT-II (factor 2) times
/// 1/√(2N), audio_ops as √(2/N) — the same s = √(2/N) (SPEC.md §2.3). The basis is computed
/// in `Double` and stored `Float`, laid out `[n][k]` with k padded to a multiple of 8 so that
/// 8 outputs accumulate in one SIMD register while n runs.
struct DCTMatrix {
    /// Log-mel values in (N).
    let inputCount: Int
    /// Coefficients out (D).
    let outputCount: Int
    /// `outputCount` rounded up to a multiple of 8: the row stride of `basis`.
    let stride: Int
    private let basis: [Float]

    init(inputCount: Int, outputCount: Int) {
        self.inputCount = inputCount
        self.outputCount = outputCount
        stride = (outputCount + 7) / 8 * 8
        let scale = (2 / Double(inputCount)).squareRoot()
        var basis = [Float](repeating: 0, count: inputCount * stride)
        for n in 0..<inputCount {
            for k in 0..<outputCount {
                let angle = Double.pi * Double(k) * Double(2 * n + 1) / Double(2 * inputCount)
                basis[n * stride + k] = Float(scale * cos(angle))
            }
        }
        self.basis = basis
    }

    /// output[k] = Σ_n input[n]·basis[n][k] for k < `outputCount`.
    ///
    /// Four partial sums per output (n mod 4), combined as (s₀ + s₁) + (s₂ + s₃): shorter
    /// dependency chains for speed, and smaller rounding error than one running sum.
    /// - Precondition: `input` holds `inputCount` values, `output` has room for `outputCount`.
    @inline(__always)
    func apply(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        basis.withUnsafeBufferPointer { basis in
            guard let start = basis.baseAddress else { return }
            let base = UnsafeRawPointer(start)
            let rowBytes = stride * MemoryLayout<Float>.stride
            let unrolled = inputCount / 4 * 4
            for block in 0..<(stride / 8) {
                let column = block * 8 * MemoryLayout<Float>.stride
                var sums = (SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero)
                var n = 0
                while n < unrolled {
                    let row = base + n * rowBytes + column
                    sums.0 += SIMD8(repeating: input[n]) * row.loadUnaligned(as: SIMD8<Float>.self)
                    sums.1 += SIMD8(repeating: input[n + 1]) * (row + rowBytes).loadUnaligned(as: SIMD8<Float>.self)
                    sums.2 += SIMD8(repeating: input[n + 2]) * (row + 2 * rowBytes).loadUnaligned(as: SIMD8<Float>.self)
                    sums.3 += SIMD8(repeating: input[n + 3]) * (row + 3 * rowBytes).loadUnaligned(as: SIMD8<Float>.self)
                    n += 4
                }
                while n < inputCount {
                    sums.0 += SIMD8(repeating: input[n]) * (base + n * rowBytes + column).loadUnaligned(as: SIMD8<Float>.self)
                    n += 1
                }
                let total = (sums.0 + sums.1) + (sums.2 + sums.3)
                let first = block * 8
                for lane in 0..<min(8, outputCount - first) {
                    output[first + lane] = total[lane]
                }
            }
        }
    }
}
