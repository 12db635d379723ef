#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The DCT-II that turns log-mel energies into cepstral coefficients, as precomputed matrices.
///
/// Both variants compute y_k = s·Σ_n v_n·cos(πk(2n + 1)/(2N)) for k < D over N log-mel values:
/// `tf.signal.mfccs_from_log_mel_spectrograms` as the unnormalised DCT-II (factor 2) times
/// 1/√(2N), audio_ops as √(2/N) — the same s = √(2/N) (SPEC.md §2.3).
///
/// The basis is symmetric: cos(πk(2(N−1−n) + 1)/(2N)) = (−1)ᵏ·cos(πk(2n + 1)/(2N)), so even k
/// need only the sums v_n + v_{N−1−n} and odd k the differences, over the first ⌈N/2⌉ n — 40%
/// fewer multiply-adds for 64 → 40. Each half is stored `[n][k/2]` in `Float` (computed in
/// `Double`), k padded to a multiple of 8 so that 8 outputs accumulate in one SIMD register.
struct DCTMatrix: Sendable {
    /// Log-mel values in (N).
    let inputCount: Int
    /// Coefficients out (D).
    let outputCount: Int
    /// Scratch floats `apply` needs: the ⌈N/2⌉ sums and ⌈N/2⌉ differences.
    var scratchCount: Int { 2 * folded }

    /// ⌈N/2⌉: rows of each half (for odd N the middle value appears once, unpaired).
    let folded: Int
    let even: Half
    let odd: Half

    /// The outputs of one parity: k = parity, parity + 2, …
    struct Half: Sendable {
        let count: Int
        let stride: Int
        let basis: [Float]
    }

    init(inputCount: Int, outputCount: Int) {
        self.inputCount = inputCount
        self.outputCount = outputCount
        folded = (inputCount + 1) / 2
        let scale = (2 / Double(inputCount)).squareRoot()
        func half(parity: Int) -> Half {
            let count = (outputCount - parity + 1) / 2
            let stride = (count + 7) / 8 * 8
            var basis = [Float](repeating: 0, count: (inputCount + 1) / 2 * stride)
            for n in 0..<((inputCount + 1) / 2) {
                for j in 0..<count {
                    let k = 2 * j + parity
                    let angle = Double.pi * Double(k) * Double(2 * n + 1) / Double(2 * inputCount)
                    basis[n * stride + j] = Float(scale * cos(angle))
                }
            }
            return Half(count: count, stride: stride, basis: basis)
        }
        even = half(parity: 0)
        odd = half(parity: 1)
    }

    /// output[k] = s·Σ_n input[n]·cos(πk(2n + 1)/(2N)) for k < `outputCount`.
    ///
    /// - Precondition: `input` holds `inputCount` values, `output` has room for `outputCount`,
    ///   `scratch` for `scratchCount` (all owned by `MFCC`).
    @inline(__always)
    func apply(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>,
               scratch: UnsafeMutablePointer<Float>) {
        let sums = scratch
        let differences = scratch + folded
        for n in 0..<(inputCount / 2) {
            let mirrored = input[inputCount - 1 - n]
            sums[n] = input[n] + mirrored
            differences[n] = input[n] - mirrored
        }
        if inputCount % 2 == 1 {
            sums[folded - 1] = input[folded - 1]
            differences[folded - 1] = input[folded - 1]  // its odd-k basis entries are cos(πk/2) = 0
        }
        Self.accumulate(even, sums, rows: folded, into: output, parity: 0, outputCount: outputCount)
        Self.accumulate(odd, differences, rows: folded, into: output, parity: 1, outputCount: outputCount)
    }

    /// output[2j + parity] = Σ_n folded[n]·basis[n][j], with four partial sums (n mod 4) per
    /// output combined as (s₀ + s₁) + (s₂ + s₃): short dependency chains, small rounding error.
    @inline(__always)
    private static func accumulate(_ half: Half, _ folded: UnsafePointer<Float>, rows: Int,
                                   into output: UnsafeMutablePointer<Float>, parity: Int, outputCount: Int) {
        half.basis.withUnsafeBufferPointer { basis in
            guard let start = basis.baseAddress else { return }
            let base = UnsafeRawPointer(start)
            let rowBytes = half.stride * MemoryLayout<Float>.stride
            let unrolled = rows / 4 * 4
            for block in 0..<(half.stride / 8) {
                let column = block * 8 * MemoryLayout<Float>.stride
                var sums = (SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero)
                var n = 0
                while n < unrolled {
                    let row = base + n * rowBytes + column
                    sums.0 += SIMD8(repeating: folded[n]) * row.loadUnaligned(as: SIMD8<Float>.self)
                    sums.1 += SIMD8(repeating: folded[n + 1]) * (row + rowBytes).loadUnaligned(as: SIMD8<Float>.self)
                    sums.2 += SIMD8(repeating: folded[n + 2]) * (row + 2 * rowBytes).loadUnaligned(as: SIMD8<Float>.self)
                    sums.3 += SIMD8(repeating: folded[n + 3]) * (row + 3 * rowBytes).loadUnaligned(as: SIMD8<Float>.self)
                    n += 4
                }
                while n < rows {
                    sums.0 += SIMD8(repeating: folded[n]) * (base + n * rowBytes + column).loadUnaligned(as: SIMD8<Float>.self)
                    n += 1
                }
                let total = (sums.0 + sums.1) + (sums.2 + sums.3)
                for lane in 0..<8 {
                    let k = 2 * (block * 8 + lane) + parity
                    if k < outputCount { output[k] = total[lane] }
                }
            }
        }
    }
}
